import type { DeploymentRecord } from "../../core/protocol/index.js";

// Issue 13: the order of an app's deployments is the order they were made in, which
// the agent numbers (`seq`) under the app's deploy lock. Ids carry the clock's time,
// and a clock set back (a bad RTC at boot, a manual fix, NTP stepping) would reorder
// `deploy ls`, make the rollback default the wrong release and pruning keep old ones.

type Ordered = Pick<DeploymentRecord, "id" | "seq">;

/**
 * Oldest first, for one app. Records of agents before numbering have no `seq`: they
 * were all made before the first numbered one, so they come first, by id (their time).
 * Pure: tested by equality.
 */
export function compareDeployOrder(a: Ordered, b: Ordered): number {
	if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq || byId(a, b);
	if (a.seq !== undefined) return 1;
	if (b.seq !== undefined) return -1;
	return byId(a, b);
}

/** One app's records, newest first. */
export function newestFirstOfApp<T extends Ordered>(records: T[]): T[] {
	return [...records].sort((a, b) => compareDeployOrder(b, a));
}

/** The number the next deployment of an app gets: one more than any it has. */
export function nextSeq(records: Ordered[]): number {
	return Math.max(0, ...records.map((r) => r.seq ?? 0)) + 1;
}

/**
 * Newest first across apps (a listing of every app, or of an app and its previews).
 * Each app keeps its own deploy order; apps are interleaved by creation time, the only
 * measure they share, so a clock jump can misplace one app against another but never
 * reorder an app's own deployments. Pure: tested by equality.
 */
export function newestFirst<T extends Ordered & Pick<DeploymentRecord, "app" | "createdAt">>(records: T[]): T[] {
	const byApp = new Map<string, T[]>();
	for (const record of records) byApp.set(record.app, [...(byApp.get(record.app) ?? []), record]);
	const queues = [...byApp.values()].map((list) => newestFirstOfApp(list));
	const merged: T[] = [];
	for (;;) {
		let pick: T[] | undefined;
		for (const queue of queues) {
			const head = queue[0];
			if (head && (!pick || newerAcrossApps(head, pick[0]!))) pick = queue;
		}
		if (!pick) return merged;
		merged.push(pick.shift()!);
	}
}

function newerAcrossApps(a: Pick<DeploymentRecord, "id" | "createdAt" | "app">, b: Pick<DeploymentRecord, "id" | "createdAt" | "app">): boolean {
	if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt;
	return a.app < b.app;
}

function byId(a: Ordered, b: Ordered): number {
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
