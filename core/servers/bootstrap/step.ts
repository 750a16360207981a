import type { DeployEvent, StepName } from "../../protocol/index.js";

/** One step of setting a server up, told as started/done/failed events with its time, like the agent's steps. */
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
