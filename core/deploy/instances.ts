import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, ScaleInput, ScaleResult, StreamOptions } from "../api/types.js";
import type { InstanceInfo } from "../protocol/index.js";
import { resolveTarget, withAppSession, withStore } from "./target.js";

/** `deploy ps`: one row per instance, as the agent supervises them. Every app of the server when no app is known. */
export async function listInstances(context: ApiContext, input: AppTargetInput, options: StreamOptions = {}): Promise<InstanceInfo[]> {
	const target = await withStore((store) => resolveTarget(context, store, input, options, "read"));
	const session = await target.open();
	try {
		return await session.rpc.call("ps", target.app ? { app: target.app } : {}, options.signal ? { signal: options.signal } : {});
	} finally {
		await session.close();
	}
}

/**
 * `deploy scale web=3`: sets instance counts of the live release. The agent health-checks
 * new instances before they get traffic and drains the ones it stops.
 */
export async function scale(context: ApiContext, input: ScaleInput, options: StreamOptions = {}): Promise<ScaleResult> {
	const { processes, wait = true, ...target } = input;
	return withAppSession(context, target, options, (session, app) =>
		session.rpc.call(
			"scale",
			{ app, processes, wait },
			{ ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) },
		),
	);
}
