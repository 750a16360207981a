// One way to tell a step, on both sides: the client's (SSH login, setting a server up)
// and the agent's (agents/deploy/steps.ts). Type imports only: the agent's bridge and the
// SSH worker thread load this without zod.
import type { DeployEvent, StepName } from "./events.js";

/** Runs one step, told as started, then done (with `doneMessage` read from its result) or failed, each with its time. */
export async function runStep<T>(emit: (event: DeployEvent) => void, step: StepName, fn: () => Promise<T>, doneMessage?: (result: T) => string | undefined): Promise<T> {
	const started = Date.now();
	emit({ type: "step", step, status: "started" });
	try {
		const result = await fn();
		const message = doneMessage?.(result);
		emit({ type: "step", step, status: "done", durationMs: Date.now() - started, ...(message ? { message } : {}) });
		return result;
	} catch (error) {
		emit({ type: "step", step, status: "failed", durationMs: Date.now() - started, message: error instanceof Error ? error.message : String(error) });
		throw error;
	}
}
