import { join } from "node:path";
import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import type { AgentSession } from "../provider.js";
import { openServerSession } from "../servers/connect.js";
import { resolveServer } from "../servers/resolve.js";
import { PREVIEW_SERVER } from "./preview.js";

export interface Target {
	/** The app, when one is known (from --app, deploy.yaml or package.json). */
	app: string | undefined;
	server: string;
	open(): Promise<AgentSession>;
}

type Store = Awaited<ReturnType<typeof import("../store/index.js").openStore>>;

/**
 * Which app and which server a read command (ls, logs) is about: --app, else the
 * project in the folder; --server, else deploy.yaml's, else where that app was last
 * deployed from here, else the only server. `local` is the preview on this machine.
 */
export async function resolveTarget(
	context: ApiContext,
	store: Store,
	input: { dir?: string; app?: string; server?: string },
	options: StreamOptions,
): Promise<Target> {
	let app = input.app;
	let configured: string | undefined;
	if (!app) {
		const { loadProject } = await import("./project.js");
		const project = await loadProject(input.dir).catch(() => undefined);
		app = project?.spec.name;
		configured = project?.server;
	}
	const remembered = app ? (await store.projects.get(app))?.server ?? undefined : undefined;
	const name = input.server ?? configured ?? remembered;
	if (name === PREVIEW_SERVER) {
		const { deployHome } = await import("../paths.js");
		const home = join(deployHome(), "preview");
		return { app, server: PREVIEW_SERVER, open: async () => (await context.providers.local()).openLocalSession({ home, bundle: agentBundle() }) };
	}
	const servers = await store.servers.list();
	const server = resolveServer({ get: (n) => servers.find((s) => s.name === n), list: () => servers }, name);
	return { app, server: server.name, open: () => openServerSession(context.providers, server, options) };
}
