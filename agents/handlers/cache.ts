import { collectUnused } from "../objects/collect.js";
import type { Handler } from "./call.js";

/** Empties the build caches asked for; the uploaded files no kept release uses go too, whatever the app (the store is shared). */
export const cacheClear: Handler<"cache.clear"> = async ({ app }, { agent }) => {
	const cleared = await agent.cache.clear(app);
	const { unused } = await collectUnused(agent);
	return { ...cleared, objects: unused };
};
