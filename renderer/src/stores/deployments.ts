import { create } from "zustand";
import { bridge, type DeploymentRecord, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { type Activity, emptyActivity, foldEvent } from "./activity.js";
import { useProjects } from "./projects.js";
import { targetOf } from "./target.js";

export interface History {
	records: DeploymentRecord[];
	loading: boolean;
	error: ErrorEnvelope | null;
}

/** A deploy or a rollback the person started from this window, live or finished. */
export interface Operation {
	kind: "deploy" | "rollback";
	/** For a rollback: the deployment made live again. */
	to: string | null;
	running: boolean;
	activity: Activity;
	result: DeploymentRecord | null;
	error: ErrorEnvelope | null;
}

interface DeploymentsState {
	/** By project folder. */
	history: Record<string, History>;
	operations: Record<string, Operation>;
	load(project: ProjectInfo): Promise<void>;
	deploy(project: ProjectInfo): Promise<void>;
	rollback(project: ProjectInfo, to: string): Promise<void>;
	cancel(project: ProjectInfo): void;
}

const controllers = new Map<string, AbortController>();

export const useDeployments = create<DeploymentsState>()((set, get) => {
	const setHistory = (dir: string, patch: Partial<History>) => {
		const current = get().history[dir] ?? { records: [], loading: false, error: null };
		set({ history: { ...get().history, [dir]: { ...current, ...patch } } });
	};
	const setOperation = (dir: string, patch: Partial<Operation>) => {
		const current = get().operations[dir];
		if (current) set({ operations: { ...get().operations, [dir]: { ...current, ...patch } } });
	};

	async function run(project: ProjectInfo, kind: Operation["kind"], to: string | null): Promise<void> {
		const dir = project.dir;
		if (get().operations[dir]?.running) return;
		const controller = new AbortController();
		controllers.set(dir, controller);
		set({ operations: { ...get().operations, [dir]: { kind, to, running: true, activity: emptyActivity(), result: null, error: null } } });
		const options = {
			signal: controller.signal,
			onEvent: (event: Parameters<typeof foldEvent>[1]) => setOperation(dir, { activity: foldEvent(get().operations[dir]?.activity ?? emptyActivity(), event) }),
		};
		try {
			const result =
				kind === "deploy"
					? await bridge().call("deployments.create", targetOf(project), options)
					: await bridge().call("deployments.rollback", { ...targetOf(project), to: to ?? undefined }, options);
			setOperation(dir, { running: false, result });
		} catch (error) {
			setOperation(dir, { running: false, error: toEnvelope(error) });
		} finally {
			controllers.delete(dir);
		}
		// The first deploy pins the app to its server; the history changed either way.
		await Promise.all([useProjects.getState().load(), get().load(project)]);
	}

	return {
		history: {},
		operations: {},
		async load(project) {
			setHistory(project.dir, { loading: true });
			try {
				setHistory(project.dir, { records: await bridge().call("deployments.list", { ...targetOf(project), limit: 20 }), loading: false, error: null });
			} catch (error) {
				setHistory(project.dir, { loading: false, error: toEnvelope(error) });
			}
		},
		deploy: (project) => run(project, "deploy", null),
		rollback: (project, to) => run(project, "rollback", to),
		cancel: (project) => controllers.get(project.dir)?.abort(),
	};
});
