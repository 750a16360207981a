// Issue 16: the team methods are one RPC each to the server's agent, which decides.
import type { ApiContext } from "../api/context.js";
import type { ServerTargetInput } from "../api/team.js";
import type { StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "../deploy/target.js";
import type { MethodName, ParamsOf, ResultOf } from "../protocol/methods.js";

export async function teamCall<M extends MethodName>(context: ApiContext, input: ServerTargetInput, options: StreamOptions = {}, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
	const target = await withStore((store) => resolveTarget(context, store, { ...(input.server ? { server: input.server } : {}), ...(input.dir ? { dir: input.dir } : {}) }, options, "read"));
	const session = await target.open();
	try {
		const result = await session.rpc.call(method, withoutUndefined(params), options.signal ? { signal: options.signal } : {});
		if (method === "team.ls") await (await import("./mirror.js")).mirrorTeams(target.server, result as ResultOf<"team.ls">);
		return result;
	} finally {
		await session.close();
	}
}

const withoutUndefined = <T>(params: T): T => Object.fromEntries(Object.entries(params as object).filter(([, v]) => v !== undefined)) as T;
