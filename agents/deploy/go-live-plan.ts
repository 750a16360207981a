import type { ProcessPlan } from "../detect/plan.js";

/**
 * What a go-live does, as data: which instances start, which process's new
 * instances are health-checked before the route changes, and what leaves the route.
 * Computed by the pure functions below and carried out by goLive (go-live.ts), the
 * one sequence every path takes (deploy, env change, rollback, scale, boot recovery).
 *
 * - `release`: the started instances become the app's live release; every other
 *   instance of the app drains once the route points at them.
 * - `scale`: the started instances join the live release; the instances on the
 *   `remove` ports leave the route, then drain. Boot recovery's plan is one too.
 */
export type GoLivePlan =
	| { kind: "release"; start: Record<string, number>; check: string | null }
	| { kind: "scale"; start: Record<string, number>; check: string | null; remove: number[] };

/** An instance serving now, as much of it as a plan needs. */
export interface ServingInstance {
	process: string;
	port: number;
}

type Processes = readonly Pick<ProcessPlan, "name" | "web" | "instances">[];

/** A release going live: each process with its planned count, or the count given (an env change keeps a scale). */
export function planRelease(processes: Processes, counts: Record<string, number> = {}): GoLivePlan {
	const start: Record<string, number> = {};
	for (const process of processes) {
		const count = counts[process.name] ?? process.instances;
		if (count > 0) start[process.name] = count;
	}
	return { kind: "release", start, check: checkedProcess(processes, start) };
}

/**
 * New instance counts of the live release. Instances are added to or removed from
 * what serves now; the newest go first when there are too many, as the oldest have
 * proven themselves longest.
 */
export function planScaleTo(processes: Processes, serving: readonly ServingInstance[], wanted: Record<string, number>): GoLivePlan {
	const current = Object.fromEntries(processes.map((p) => [p.name, serving.filter((i) => i.process === p.name).length]));
	const { add, remove } = planScale(current, wanted);
	const ports = Object.entries(remove).flatMap(([name, n]) =>
		serving
			.filter((i) => i.process === name)
			.slice(-n)
			.map((i) => i.port),
	);
	return { kind: "scale", start: add, check: checkedProcess(processes, add), remove: ports };
}

/**
 * Boot recovery: the live release's instances that were gone when the daemon started
 * (a reboot) are replaced one for one, on fresh ports (another service may hold the
 * old ones by now), and the gone ones leave the route. A gone instance of a process the
 * release no longer has is removed without a replacement.
 */
export function planRecovery(processes: Processes, gone: readonly ServingInstance[]): GoLivePlan {
	const start: Record<string, number> = {};
	for (const instance of gone) {
		if (processes.some((p) => p.name === instance.process)) start[instance.process] = (start[instance.process] ?? 0) + 1;
	}
	return { kind: "scale", start, check: checkedProcess(processes, start), remove: gone.map((i) => i.port) };
}

/** How many instances to add and remove per process. */
export function planScale(current: Record<string, number>, wanted: Record<string, number>): { add: Record<string, number>; remove: Record<string, number> } {
	const add: Record<string, number> = {};
	const remove: Record<string, number> = {};
	for (const [name, count] of Object.entries(wanted)) {
		const now = current[name] ?? 0;
		if (count > now) add[name] = count - now;
		if (count < now) remove[name] = now - count;
	}
	return { add, remove };
}

/** The web process, when new instances of it start: those answer the health check before any traffic reaches them. */
function checkedProcess(processes: Processes, start: Record<string, number>): string | null {
	return processes.find((p) => p.web && (start[p.name] ?? 0) > 0)?.name ?? null;
}
