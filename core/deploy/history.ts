import type { ApiContext } from "../api/context.js";
import type { ListDeploymentsInput, StreamOptions } from "../api/types.js";
import type { DeploymentRecord } from "../protocol/index.js";
import { resolveTarget } from "./target.js";

/** `deploy ls`: the history as the agent knows it (the source of truth), cached locally. */
export async function listDeployments(context: ApiContext, input: ListDeploymentsInput, options: StreamOptions = {}): Promise<DeploymentRecord[]> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const target = await resolveTarget(context, store, input, options, "read");
		const session = await target.open();
		try {
			const records = await session.rpc.call("deployments.list", {
				...(target.app ? { app: target.app } : {}),
				limit: input.limit ?? 20,
			});
			for (const record of records) await store.deployments.record({ ...record, server: target.server });
			return records;
		} finally {
			await session.close();
		}
	} finally {
		await store.close();
	}
}
