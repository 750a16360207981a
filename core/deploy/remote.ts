import type { ApiContext } from "../api/context.js";
import type { DeployInput, DeployResult, StreamOptions } from "../api/types.js";
import { openServerSession } from "../servers/connect.js";
import { resolveServer } from "../servers/resolve.js";
import { manifestBaseFile } from "./manifest-base.js";
import { deployWith } from "./pipeline.js";
import { loadProject } from "./project.js";
import { recordDeployment, rememberProject } from "./record.js";

/** `deploy [dir]`: the project's working tree, live on one of the user's servers. */
export async function deployToServer(context: ApiContext, input: DeployInput, options: StreamOptions = {}): Promise<DeployResult> {
	const emit = options.onEvent ?? (() => {});
	// Issue 6: a preview (--preview, or a branch other than the production one) deploys as its own app.
	const project = await (await import("./preview-deploy.js")).previewOrProduction(await loadProject(input.dir, input.app), input, emit);
	for (const warning of project.warnings) emit({ type: "log", stream: "stderr", line: `warning: ${warning}` });
	if (input.api) return (await import("./over-api.js")).deployOverApi(input.api, project, emit, options.signal, input.wait ?? true);
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const server = resolveServer(await snapshotServers(store), input.server ?? project.server);
		const { deployHome } = await import("../paths.js");
		const base = manifestBaseFile(deployHome(), server.name, project.spec.name);
		let reached = false;
		const open = async () => {
			const session = await openServerSession(context.providers, server, options);
			reached = true;
			return session;
		};
		try {
			const { record, upload } = await deployWith(open, project, emit, options.signal, input.wait ?? true, base);
			const result: DeployResult = { ...record, server: server.name, upload };
			await recordDeployment(store, project, result);
			return result;
		} catch (error) {
			// Issue 14: a folder deployed from is an app of the user's even when its first
			// deploy failed; Apps lists it with the failure the server recorded.
			if (reached) await rememberProject(store, project, server.name).catch(() => undefined);
			throw error;
		}
	} finally {
		await store.close();
	}
}

/** resolveServer is synchronous and pure; the store is not. */
async function snapshotServers(store: Awaited<ReturnType<typeof import("../store/index.js").openStore>>) {
	const all = await store.servers.list();
	return { get: (name: string) => all.find((s) => s.name === name), list: () => all };
}
