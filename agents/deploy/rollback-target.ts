import { DeployError, type DeploymentRecord } from "../../core/protocol/index.js";
import { newestFirstOfApp } from "./deploy-order.js";

/**
 * Which release a rollback makes live. Pure: tested by equality. `kept` holds the ids
 * whose release folder and spec still exist. Only releases that went live once
 * (superseded ones) qualify; the default is the newest of them older than the live one,
 * in deploy order (`seq`, agents/deploy/deploy-order.ts).
 */
export function pickRollbackTarget(app: string, records: DeploymentRecord[], live: string | null, kept: Set<string>, to?: string): DeploymentRecord {
	const ordered = newestFirstOfApp(records);
	const candidates = ordered.filter((r) => r.status === "superseded" && r.id !== live);
	const available = candidates.filter((r) => kept.has(r.id));
	const list = available.map((r) => r.id).join(", ");
	const hint = available.length > 0 ? `Releases of ${app} you can roll back to: ${list}.` : `No kept release of ${app} can be rolled back to; deploy instead.`;
	if (to) {
		const target = records.find((r) => r.id === to);
		if (!target) throw new DeployError("UNKNOWN_DEPLOYMENT", `${app} has no deployment ${to}.`, hint);
		if (target.id === live) throw new DeployError("ALREADY_LIVE", `Deployment ${to} is already the live release of ${app}.`, hint);
		if (target.status !== "superseded") throw new DeployError("NOT_A_RELEASE", `Deployment ${to} never went live (it is ${target.status}), so it cannot be rolled back to.`, hint);
		if (!kept.has(to)) throw new DeployError("RELEASE_PRUNED", `The release of deployment ${to} was pruned (only the newest releases are kept).`, hint);
		return target;
	}
	// Older in deploy order (issue 13): after the live one in the newest-first list.
	const liveAt = ordered.findIndex((r) => r.id === live);
	const older = liveAt >= 0 ? available.filter((r) => ordered.indexOf(r) > liveAt) : available;
	const target = older[0] ?? (live ? undefined : available[0]);
	if (!target) {
		throw new DeployError("NO_RELEASE_TO_ROLL_BACK", `${app} has no earlier release to roll back to.`, candidates.length > 0 ? `Older releases were pruned. ${hint}` : "Deploy a new version instead.");
	}
	return target;
}
