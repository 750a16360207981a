import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, StreamOptions } from "../api/types.js";
import type { DeploymentRecord } from "../protocol/index.js";
import { withAppSession, withStore } from "./target.js";

/**
 * Issue 18: `deploy redeploy`: the agent deploys the live release's source (its kept
 * files, spec and commit) again as a new release; no upload, no push. What a push
 * cannot do once the server's branch is "up to date" (restart into a fresh release,
 * pick up a changed `deploy env`). The outcome is cached locally like any deployment.
 */
export async function redeploy(context: ApiContext, input: AppTargetInput & { wait?: boolean }, options: StreamOptions = {}): Promise<DeploymentRecord> {
	const { wait = true, ...target } = input;
	return withAppSession(context, target, options, async (session, app, resolved) => {
		const record = await session.rpc.call("redeploy", { app, wait }, { ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) });
		const recent = await session.rpc.call("deployments.list", { app, limit: 20 });
		await withStore(async (store) => {
			for (const each of [record, ...recent]) await store.deployments.record({ ...each, server: resolved.server });
		});
		return record;
	});
}
