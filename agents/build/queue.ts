import { DeployError } from "../../core/protocol/index.js";

/**
 * Installs and builds across apps take turns: at most `limit` at once, so a burst of
 * deploys cannot starve the apps already serving. (One app never builds twice at once:
 * its deploy lock comes first.) FIFO; a cancelled waiter leaves the line.
 */
export class BuildQueue {
	#active = 0;
	readonly #waiting: (() => void)[] = [];

	constructor(readonly limit: number) {}

	/** Runs `fn` when a slot is free; `onWait` tells how many builds are ahead. */
	async run<T>(signal: AbortSignal, onWait: (ahead: number) => void, fn: () => Promise<T>): Promise<T> {
		if (this.#active >= this.limit) {
			onWait(this.#active + this.#waiting.length);
			await new Promise<void>((resolve, reject) => {
				const go = () => {
					signal.removeEventListener("abort", cancel);
					resolve();
				};
				const cancel = () => {
					const index = this.#waiting.indexOf(go);
					if (index >= 0) this.#waiting.splice(index, 1);
					reject(signal.reason ?? new DeployError("CANCELLED", "The deploy was cancelled while waiting to build."));
				};
				if (signal.aborted) return cancel();
				signal.addEventListener("abort", cancel, { once: true });
				this.#waiting.push(go);
			});
		} else {
			this.#active += 1;
		}
		try {
			return await fn();
		} finally {
			const next = this.#waiting.shift();
			// The slot passes straight to the next in line: #active stays the same.
			if (next) next();
			else this.#active -= 1;
		}
	}

	get active(): number {
		return this.#active;
	}
}
