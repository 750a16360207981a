import type { Handler } from "./call.js";

export const cacheClear: Handler<"cache.clear"> = async ({ app }, { agent }) => agent.cache.clear(app);
