// A fake of the renderer's own seam (renderer/src/api/bridge.ts): the stores call the
// api through it, so a test can answer each method and see what was asked.
import type { ApiMethod, Bridge, CallOptions } from "../../renderer/src/api/bridge.js";
import { setBridge } from "../../renderer/src/api/bridge.js";
import { ApiError } from "../../renderer/src/api/errors.js";

export interface FakeCall {
	method: ApiMethod;
	input: unknown;
}

type Answer = (input: unknown, options: CallOptions) => unknown;

/** Installs a bridge that answers from `answers` (an ApiError for a method not listed). */
export function fakeBridge(answers: Partial<Record<ApiMethod, Answer>>): { calls: FakeCall[] } {
	const calls: FakeCall[] = [];
	const bridge: Bridge = {
		async call(method, input, options = {}) {
			calls.push({ method, input });
			const answer = answers[method];
			if (!answer) throw new ApiError({ code: "UNKNOWN_METHOD", message: `not faked: ${method}` });
			return (await answer(input, options)) as never;
		},
	};
	setBridge(bridge);
	return { calls };
}

/** Waits until `condition` holds, checking after each turn of the event loop. */
export async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
