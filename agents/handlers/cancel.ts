import type { Handler } from "./call.js";

/** Aborts the app's running deploy (from another connection than the deploy's own). */
export const cancel: Handler<"cancel"> = async ({ app, id }, { agent }) => ({ cancelled: agent.running.cancel(app, id) });
