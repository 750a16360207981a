import type { DeployEvent, StepName } from "../../core/protocol/index.js";

/** Wraps a step in its started/done/failed events, so every step reports the same way. */
export class StepReporter {
	current: StepName | null = null;

	constructor(private readonly emit: (event: DeployEvent) => void) {}

	/** `doneMessage` is read once the step succeeded (from its result): e.g. "cache miss: installed and stored". */
	async run<T>(step: StepName, fn: () => Promise<T>, doneMessage?: (result: T) => string | undefined): Promise<T> {
		const started = Date.now();
		this.current = step;
		this.emit({ type: "step", step, status: "started" });
		try {
			const result = await fn();
			const message = doneMessage?.(result);
			this.emit({ type: "step", step, status: "done", ...(message ? { message } : {}), durationMs: Date.now() - started });
			return result;
		} catch (error) {
			this.emit({ type: "step", step, status: "failed", message: (error as Error).message, durationMs: Date.now() - started });
			throw error;
		} finally {
			this.current = null;
		}
	}

	skip(step: StepName, reason: string): void {
		this.emit({ type: "step", step, status: "skipped", message: reason });
	}
}
