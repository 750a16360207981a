import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { DeployResult, PreviewInput, StreamOptions } from "../api/types.js";
import type { AgentSession } from "../provider.js";
import { DeployError, type ServerSetup } from "../protocol/index.js";
import { manifestBaseFile } from "./manifest-base.js";
import { deployWith } from "./pipeline.js";
import { previewHome } from "./preview-home.js";
import { loadProject } from "./project.js";
import { recordDeployment } from "./record.js";

export const PREVIEW_SERVER = "local";
const DEFAULT_PREVIEW_PORT = 4000;

/**
 * `deploy preview`: the same agent and pipeline on this machine, over the child's
 * stdio instead of SSH, behind the agent's built-in proxy (no Caddy, no internet).
 */
export async function deployPreview(context: ApiContext, input: PreviewInput, options: StreamOptions = {}): Promise<DeployResult> {
	const emit = options.onEvent ?? (() => {});
	const project = await loadProject(input.dir);
	const port = input.port ?? previewPortFromEnv();
	const home = previewHome();
	const openSession = async (): Promise<AgentSession> => {
		const local = await context.providers.local();
		const session = await local.openLocalSession({ home, bundle: agentBundle() });
		try {
			await ensurePreviewProxy(session, port, options);
		} catch (error) {
			await session.close();
			throw error;
		}
		return session;
	};
	const { record, upload } = await deployWith(openSession, project, emit, options.signal, true, manifestBaseFile(home, PREVIEW_SERVER, project.spec.name));
	const result: DeployResult = { ...record, server: PREVIEW_SERVER, upload };
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		await recordDeployment(store, project, result);
	} finally {
		await store.close();
	}
	return result;
}

async function ensurePreviewProxy(session: AgentSession, port: number, options: StreamOptions): Promise<void> {
	const wanted: ServerSetup = { proxy: "builtin", httpPort: port, httpsPort: port, address: "127.0.0.1" };
	const { setup } = await session.rpc.call("hello", { client: "deploy-cli" });
	if (setup && setup.proxy === wanted.proxy && setup.httpPort === wanted.httpPort) return;
	await session.rpc.call("setup", wanted, options.onEvent ? { onEvent: options.onEvent } : {});
}

function previewPortFromEnv(): number {
	const raw = process.env.DEPLOY_PREVIEW_PORT;
	if (raw === undefined) return DEFAULT_PREVIEW_PORT;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) {
		throw new DeployError("BAD_ARGUMENT", `DEPLOY_PREVIEW_PORT=${raw} is not a port number.`, "Use a number between 1 and 65535.");
	}
	return port;
}
