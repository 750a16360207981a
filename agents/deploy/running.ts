import { DeployError } from "../../core/protocol/index.js";

interface Running {
	id: string;
	controller: AbortController;
}

/**
 * The deployments running now, per app, each with its own abort controller: the
 * `cancel` RPC comes on another connection than the deploy, so it cannot reach the
 * deploy call's signal; it aborts this one, which the deploy listens to as well.
 */
export class RunningDeploys {
	readonly #byApp = new Map<string, Running[]>();

	/** Registers a deployment; the returned signal fires on the call's own abort or on `cancel`. */
	start(app: string, id: string, callSignal: AbortSignal): { signal: AbortSignal; done: () => void } {
		const controller = new AbortController();
		const entry = { id, controller };
		this.#byApp.set(app, [...(this.#byApp.get(app) ?? []), entry]);
		const signal = AbortSignal.any([callSignal, controller.signal]);
		return {
			signal,
			done: () => {
				const left = (this.#byApp.get(app) ?? []).filter((e) => e !== entry);
				if (left.length) this.#byApp.set(app, left);
				else this.#byApp.delete(app);
			},
		};
	}

	/** Cancels the newest running deployment of the app (or the one named); null when none runs. */
	cancel(app: string, id?: string): string | null {
		const entries = this.#byApp.get(app) ?? [];
		const target = id ? entries.find((e) => e.id === id) : entries.at(-1);
		if (!target) return null;
		target.controller.abort(new DeployError("CANCELLED", `Deployment ${target.id} was cancelled; the live release keeps serving.`, "Deploy again when you are ready."));
		return target.id;
	}
}
