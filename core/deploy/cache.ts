import * as z from "zod";
import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, CacheClearResult, StreamOptions } from "../api/types.js";
import { appName } from "../protocol/index.js";
import { resolveTarget, withStore } from "./target.js";
import { validateInput } from "./validate-input.js";

const targetInput = z.object({ dir: z.string().optional(), app: appName.optional(), server: z.string().min(1).optional() });

/**
 * `deploy cache clear`: empties the server's dependency and build caches of the app
 * (--app, or the one in the folder), or of every app when none is known. The next
 * deploy installs and builds from scratch; what runs is not touched.
 */
export async function clearCache(context: ApiContext, input: AppTargetInput, options: StreamOptions = {}): Promise<CacheClearResult> {
	const parsed = validateInput(targetInput, input, "Run it in the app's folder, or pass --app NAME.");
	const target = await withStore((store) => resolveTarget(context, store, parsed, options));
	const session = await target.open();
	try {
		const cleared = await session.rpc.call("cache.clear", target.app ? { app: target.app } : {}, options.signal ? { signal: options.signal } : {});
		return { app: target.app ?? null, server: target.server, ...cleared };
	} finally {
		await session.close();
	}
}
