import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, StreamOptions } from "../api/types.js";
import { resolveTarget, withAppSession, withStore } from "../deploy/target.js";
import type { ProcessScaling, ScalingDecision } from "../protocol/scaling.js";

const callOptions = (options: StreamOptions) => (options.signal ? { signal: options.signal } : {});

/** Each process's autoscale policy, limits, enforcement and last decision: of the app, or of every app on the server when none is known. */
export async function autoscaleStatus(context: ApiContext, input: AppTargetInput, options: StreamOptions = {}): Promise<ProcessScaling[]> {
	const target = await withStore((store) => resolveTarget(context, store, input, options, "read"));
	const session = await target.open();
	try {
		return await session.rpc.call("autoscale.status", target.app ? { app: target.app } : {}, callOptions(options));
	} finally {
		await session.close();
	}
}

/** `deploy autoscale log`: the app's recorded decisions, oldest first. */
export async function autoscaleLog(context: ApiContext, input: AppTargetInput & { limit?: number }, options: StreamOptions = {}): Promise<ScalingDecision[]> {
	const { limit, ...target } = input;
	return withAppSession(context, target, options, (session, app) => session.rpc.call("autoscale.log", { app, ...(limit ? { limit } : {}) }, callOptions(options)), "read");
}
