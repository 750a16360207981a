import { withScaling } from "../autoscale/status.js";
import { instanceInfos } from "../processes/ps.js";
import { servedSiteRows } from "../processes/served-site-rows.js";
import type { Handler } from "./call.js";

/** The instances of the app (or of every app), and a row for each static site the proxy serves; by app. */
export const ps: Handler<"ps"> = async ({ app }, { agent }) => {
	const rows = [...(await withScaling(agent, instanceInfos(agent.supervisor, agent.cpuSampler, app), app)), ...(await servedSiteRows(agent, app))];
	return rows.sort((a, b) => a.app.localeCompare(b.app));
};
