import type { DeployEvent } from "../../core/protocol/index.js";
import type { LockOwner } from "../locks/lock-owner.js";
import type { Call } from "./call.js";

/**
 * Runs `fn` under the app's deploy lock: waits with a `lock` step event when another
 * deploy, rollback or scale runs, or fails with DEPLOY_IN_PROGRESS when `wait` is false.
 */
export async function underLock<T>(call: Call, app: string, what: Pick<LockOwner, "operation" | "deploymentId">, wait: boolean, fn: () => Promise<T>): Promise<T> {
	let waitingSince = 0;
	const emit = (event: DeployEvent) => call.emit(event);
	return call.agent.locks.run(
		app,
		what,
		{
			wait,
			signal: call.signal,
			onWait: (holder) => {
				waitingSince = Date.now();
				emit({ type: "step", step: "lock", status: "started", message: `waiting for ${holder} to finish` });
			},
		},
		async () => {
			if (waitingSince) emit({ type: "step", step: "lock", status: "done", durationMs: Date.now() - waitingSince });
			call.signal.throwIfAborted();
			return fn();
		},
	);
}
