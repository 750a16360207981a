import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, CacheClearResult, StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "./target.js";

/**
 * `deploy cache clear`: empties the server's dependency and build caches of the app
 * (--app, or the one in the folder), or of every app when none is known. The next
 * deploy installs and builds from scratch; what runs is not touched.
 */
export async function clearCache(context: ApiContext, input: AppTargetInput, options: StreamOptions = {}): Promise<CacheClearResult> {
	const target = await withStore((store) => resolveTarget(context, store, input, options));
	const session = await target.open();
	try {
		const cleared = await session.rpc.call("cache.clear", target.app ? { app: target.app } : {}, options.signal ? { signal: options.signal } : {});
		return { app: target.app ?? null, server: target.server, ...cleared };
	} finally {
		await session.close();
	}
}
