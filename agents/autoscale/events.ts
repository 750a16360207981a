import type { ScalingDecision } from "../../core/protocol/scaling.js";

type Listener = (decision: ScalingDecision) => void;
const listeners = new Set<Listener>();

/**
 * The autoscaler's and the limit watcher's decisions as they are recorded: the
 * `events` method streams them as `scaling` events beside the supervisor's `instance` ones.
 * One daemon per process, so a module-level set is the daemon's.
 */
export function onScalingDecision(listener: Listener): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

export function publishScalingDecision(decision: ScalingDecision): void {
	for (const listener of listeners) listener(decision);
}
