import type { ApiContext } from "../api/context.js";
import type { BuildLogInput, BuildLogResult, StreamOptions } from "../api/types.js";
import { withAppSession } from "./target.js";

/**
 * Issue 14: `deploy logs --build [id]`: what a past deployment's install and build
 * printed, kept by the agent beside its record; default the app's newest deployment.
 * Each line comes as a `log` event, as the live deploy streamed it.
 */
export async function readBuildLog(context: ApiContext, input: BuildLogInput, options: StreamOptions = {}): Promise<BuildLogResult> {
	const { id, follow, ...target } = input;
	return withAppSession(context, target, options, async (session, app, resolved) => {
		const result = await session.rpc.call("deployments.log", { app, ...(id ? { id } : {}), ...(follow ? { follow } : {}) }, { ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) });
		return { ...result, app, server: resolved.server };
	});
}
