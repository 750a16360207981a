import type { DeployEvent, StepName } from "../../core/protocol/index.js";
import { runStep } from "../../core/protocol/steps.js";

/** Wraps a step in its started/done/failed events, so every step reports the same way. */
export class StepReporter {
	current: StepName | null = null;

	constructor(private readonly emit: (event: DeployEvent) => void) {}

	/** `doneMessage` is read once the step succeeded (from its result): e.g. "cache miss: installed and stored". */
	async run<T>(step: StepName, fn: () => Promise<T>, doneMessage?: (result: T) => string | undefined): Promise<T> {
		this.current = step;
		try {
			return await runStep(this.emit, step, fn, doneMessage);
		} finally {
			this.current = null;
		}
	}

	skip(step: StepName, reason: string): void {
		this.emit({ type: "step", step, status: "skipped", message: reason });
	}
}
