import type { Handler } from "./call.js";

/** Answers first, then stops the daemon; app processes (and a detached proxy) keep running. */
export const shutdown: Handler<"shutdown"> = async (_params, { agent, afterReply }) => {
	afterReply(() => agent.shutdown());
	return { ok: true };
};
