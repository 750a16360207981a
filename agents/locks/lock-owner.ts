import * as z from "zod";

/** deploy.lock/owner.json: which daemon holds an app's deploy lock, for what. */
export const lockOwner = z.object({
	pid: z.number().int(),
	/** With the pid, tells the daemon from an unrelated process that reused its pid. */
	startTime: z.string().nullable(),
	operation: z.enum(["deploy", "rollback", "scale", "domains", "remove", "recover"]),
	deploymentId: z.string().nullable(),
	since: z.string(),
});
export type LockOwner = z.infer<typeof lockOwner>;

/** A lock folder without owner.json younger than this is being created right now. */
export const OWNERLESS_GRACE_MS = 5_000;

/**
 * Whether a lock can be taken over: its daemon is gone (a kill -9, a reboot), or the
 * folder never got an owner and is older than a creation takes. Pure.
 */
export function lockIsStale(owner: LockOwner | null, ageMs: number, alive: (pid: number, startTime: string | null) => boolean): boolean {
	if (!owner) return ageMs > OWNERLESS_GRACE_MS;
	return !alive(owner.pid, owner.startTime);
}

/** How a person reads the holder: "deployment d1abc", "a rollback to d1abc", "a scale". */
export function describeOwner(owner: LockOwner | null): string {
	if (!owner) return "another operation";
	if (owner.operation === "deploy") return `deployment ${owner.deploymentId ?? "(unknown)"}`;
	if (owner.operation === "rollback") return `a rollback to ${owner.deploymentId ?? "(unknown)"}`;
	if (owner.operation === "domains") return "a domain change";
	if (owner.operation === "remove") return `the removal of ${owner.deploymentId ?? "a preview"}`;
	if (owner.operation === "recover") return "the recovery after a restart";
	return "a scale";
}
