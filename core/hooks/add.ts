// Issue 18, items 2 and 3: `deploy hooks add`. Sends the app's spec (from deploy.yaml, read
// here: the agent reads no deploy.yaml) with the forge and repository to the server, which
// records the hook, makes its secret and answers it once with the payload URL.
import type { ApiContext } from "../api/context.js";
import type { HookAddInput, HookAddResult } from "../api/hooks.js";
import type { StreamOptions } from "../api/types.js";
import { loadProject } from "../deploy/project.js";
import { serverNamed, withStore } from "../deploy/target.js";
import { openServerSession } from "../servers/connect.js";

export async function addHook(context: ApiContext, input: HookAddInput, options: StreamOptions = {}): Promise<HookAddResult> {
	const project = await loadProject(input.dir, input.app);
	const { loadProjectConfig } = await import("../config/index.js");
	const loaded = await loadProjectConfig(project.dir);
	const previews = loaded.ok ? loaded.config.previews : undefined;
	const branch = input.branch ?? previews?.productionBranch;
	const server = await withStore((store) => serverNamed(store, input.server ?? project.server));
	const session = await openServerSession(context.providers, server, options);
	try {
		const made = await session.rpc.call(
			"hooks.add",
			{ app: project.spec, forge: input.forge, repo: input.repo, ...(branch ? { productionBranch: branch } : {}), ...(previews?.ttl ? { previewTtl: previews.ttl } : {}) },
			options.signal ? { signal: options.signal } : {},
		);
		return { ...made, server: server.name };
	} finally {
		await session.close();
	}
}
