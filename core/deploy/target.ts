import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import type { AgentSession } from "../provider.js";
import { DeployError } from "../protocol/index.js";
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
 * What a command does with the session. Issue 14: a `read` (ls, ps, logs, env list...)
 * never starts the preview's agent; with none running it fails PREVIEW_NOT_RUNNING
 * instead of leaving a daemon behind. A server's agent is revived by either: it is
 * meant to run always (its apps and proxy keep serving without it, unsupervised).
 */
export type Access = "read" | "change";

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
	access: Access = "change",
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
		const { previewHome } = await import("./preview-home.js");
		const session = { home: previewHome(), bundle: agentBundle(), startAgent: access === "change" };
		return { app, server: PREVIEW_SERVER, open: async () => (await context.providers.local()).openLocalSession(session) };
	}
	const server = await serverNamed(store, name);
	return { app, server: server.name, open: () => openServerSession(context.providers, server, options) };
}

/** The server `name` means among the local store's (the only one when no name is given), or the error that says which to name. */
export async function serverNamed(store: Store, name: string | undefined) {
	const servers = await store.servers.list();
	return resolveServer({ get: (n) => servers.find((s) => s.name === n), list: () => servers }, name);
}

/**
 * Runs `fn` with one session to the agent of the app a command is about: the
 * target resolved from the local store (closed before connecting), the app required.
 */
export async function withAppSession<T>(
	context: ApiContext,
	input: { dir?: string; app?: string; server?: string },
	options: StreamOptions,
	fn: (session: AgentSession, app: string, target: Target) => Promise<T>,
	access: Access = "change",
): Promise<T> {
	const target = await withStore((store) => resolveTarget(context, store, input, options, access));
	const app = target.app;
	if (!app) throw new DeployError("APP_UNKNOWN", "Which app? There is no deploy.yaml or package.json here.", "Run it in the app's folder, or pass --app NAME.");
	const session = await target.open();
	try {
		return await fn(session, app, target);
	} finally {
		await session.close();
	}
}

/** Opens the local store for the length of `fn`. */
export async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		return await fn(store);
	} finally {
		await store.close();
	}
}
