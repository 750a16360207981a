import type { ApiContext } from "../api/context.js";
import type { RollbackInput, StreamOptions } from "../api/types.js";
import type { DeploymentRecord } from "../protocol/index.js";
import { withAppSession, withStore } from "./target.js";

/**
 * `deploy rollback [deployment]`: the agent makes a kept release live again, with its
 * own code, build, env, config and routes, and no rebuild. Default: the release before
 * the live one. The outcome is cached locally like any deployment.
 */
export async function rollback(context: ApiContext, input: RollbackInput, options: StreamOptions = {}): Promise<DeploymentRecord> {
	const { to, wait = true, ...target } = input;
	return withAppSession(context, target, options, async (session, app, resolved) => {
		const record = await session.rpc.call(
			"rollback",
			{ app, wait, ...(to ? { to } : {}) },
			{ ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) },
		);
		// The release that was live is superseded now: refresh the cached history with the agent's.
		const recent = await session.rpc.call("deployments.list", { app, limit: 20 });
		await withStore(async (store) => {
			for (const each of [record, ...recent]) await store.deployments.record({ ...each, server: resolved.server });
		});
		return record;
	});
}
