import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { DeployError, type DeploymentRecord } from "../../core/protocol/index.js";
import type { HasHome } from "../context/parts.js";
import { newestFirstOfApp } from "../deploy/deploy-order.js";
import { followBuildLog } from "../deploy/follow-build-log.js";
import { readRecords } from "../deploy/records.js";
import { appPaths } from "../home.js";
import { previewAppsOf } from "../previews/listing.js";
import type { Handler } from "./call.js";

/**
 * Issue 14: the build log of any kept deployment, not only the one being watched: the
 * lines its deploy printed (deployments/<id>.log, capped when written), one `log` event
 * each, read as a stream so a long log costs no memory. Default: the newest deployment.
 */
export const deploymentLog: Handler<"deployments.log"> = async ({ app, id, follow }, { agent, signal, emit }) => {
	const record = await findDeployment(agent.home, await appsOf(agent, app), app, id);
	const path = appPaths(agent.home, record.app).deployLog(record.id);
	// Issue 18: a deploy that runs on its own (a detached push), followed until it ends.
	if (follow) {
		const lines = await followBuildLog(path, appPaths(agent.home, record.app).record(record.id), signal, (line) => emit({ type: "log", stream: "stdout", line }));
		signal.throwIfAborted();
		return { id: record.id, lines, status: (await readRecords(agent.home, record.app)).find((r) => r.id === record.id)?.status ?? record.status };
	}
	let lines = 0;
	const input = createReadStream(path, { encoding: "utf8" });
	const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
	const stop = () => input.destroy();
	signal.addEventListener("abort", stop, { once: true });
	try {
		for await (const line of reader) {
			emit({ type: "log", stream: "stdout", line });
			lines += 1;
		}
	} catch (error) {
		// A deployment recorded without a log (an unchanged deploy's record, a log removed by hand) has no lines to show.
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
	} finally {
		signal.removeEventListener("abort", stop);
		reader.close();
	}
	signal.throwIfAborted();
	return { id: record.id, lines, status: record.status };
};

/** The app and its previews: `deploy ls` in an app's folder lists both, so their ids work here too. */
async function appsOf(agent: HasHome, app: string): Promise<string[]> {
	return [app, ...(await previewAppsOf(agent, app))];
}

async function findDeployment(home: HasHome["home"], apps: string[], app: string, id: string | undefined): Promise<DeploymentRecord> {
	const records = (await Promise.all(apps.map((name) => readRecords(home, name)))).flat();
	const found = id === undefined ? newestFirstOfApp(records.filter((r) => r.app === app))[0] : records.find((r) => r.id === id);
	if (found) return found;
	if (id === undefined) throw new DeployError("DEPLOYMENT_UNKNOWN", `${app} has no deployments on this server yet.`, "Deploy it first: `deploy` in the app's folder.");
	throw new DeployError("DEPLOYMENT_UNKNOWN", `${app} has no deployment ${id} on this server.`, "See the app's deployments and their ids with `deploy ls`.");
}
