import { newestFirst } from "../deploy/deploy-order.js";
import { listApps, readRecords } from "../deploy/records.js";
import { previewAppsOf, withPreviewInfo } from "../previews/listing.js";
import type { Handler } from "./call.js";

export const deploymentsList: Handler<"deployments.list"> = async ({ app, limit }, { agent }) => {
	// Issue 6: an app's listing includes its previews, each record marked with its branch and expiry.
	const apps = app ? [app, ...(await previewAppsOf(agent, app))] : await listApps(agent.home);
	const records = (await Promise.all(apps.map((name) => readRecords(agent.home, name)))).flat();
	return withPreviewInfo(agent, newestFirst(records).slice(0, limit));
};
