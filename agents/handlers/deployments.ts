import { listApps, newestFirst, readRecords } from "../deploy/records.js";
import type { Handler } from "./call.js";

export const deploymentsList: Handler<"deployments.list"> = async ({ app, limit }, { agent }) => {
	const apps = app ? [app] : await listApps(agent.home);
	const records = (await Promise.all(apps.map((name) => readRecords(agent.home, name)))).flat();
	return newestFirst(records).slice(0, limit);
};
