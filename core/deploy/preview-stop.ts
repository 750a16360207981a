// `deploy preview --stop` (issue 14): nothing of the preview keeps running on this
// machine (its agent, the built-in proxy on its port, the apps). What it deployed stays
// on disk: the next `deploy preview` starts the agent, which starts the live releases.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { agentBundle } from "../agent-bundle.js";
import type { ApiContext } from "../api/context.js";
import type { PreviewStopResult } from "../api/types.js";
import { previewHome } from "./preview-home.js";

export async function stopPreview(context: ApiContext): Promise<PreviewStopResult> {
	const home = previewHome();
	const local = await context.providers.local();
	const stopped = await local.stopLocalAgent({ home, bundle: agentBundle() });
	return { ...stopped, port: await proxyPort(home) };
}

/** The port the preview's proxy was set up on (the agent's server.json), for the message; null when never set up. */
async function proxyPort(home: string): Promise<number | null> {
	try {
		const { httpPort } = JSON.parse(await readFile(join(home, "server.json"), "utf8")) as { httpPort?: unknown };
		return typeof httpPort === "number" ? httpPort : null;
	} catch {
		return null;
	}
}
