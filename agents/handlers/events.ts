import { onScalingDecision } from "../autoscale/events.js";
import type { Handler } from "./call.js";

/** Streams the supervisor's `instance` events (of one app or all) until the client cancels. */
export const events: Handler<"events"> = async ({ app }, { agent, signal, emit }) => {
	const unsubscribe = agent.supervisor.onEvent((event) => {
		if (!app || event.app === app) emit(event);
	});
	// Issue 7: the autoscaler's and the limit watcher's decisions.
	const unsubscribeScaling = onScalingDecision((decision) => {
		if (!app || decision.app === app) emit({ type: "scaling", decision });
	});
	try {
		await new Promise<void>((resolve) => {
			if (signal.aborted) return resolve();
			signal.addEventListener("abort", () => resolve(), { once: true });
		});
	} finally {
		unsubscribe();
		unsubscribeScaling();
	}
	return {};
};
