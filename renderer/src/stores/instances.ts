import { create } from "zustand";
import { bridge, type InstanceInfo, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

interface InstancesEntry {
	instances: InstanceInfo[];
	loading: boolean;
	error: ErrorEnvelope | null;
	/** A scale running (`deploy scale`, waited for); its refusal or failure until the next one. */
	scaling?: boolean;
	scaleError?: ErrorEnvelope | null;
}

interface InstancesState {
	byDir: Record<string, InstancesEntry>;
	load(project: ProjectInfo): Promise<void>;
	/** Sets how many instances each named process runs, waits until they are healthy, then reloads the list. */
	scale(project: ProjectInfo, processes: Record<string, number>): Promise<void>;
}

export const useInstances = create<InstancesState>()((set, get) => {
	const put = (dir: string, entry: Partial<InstancesEntry>) => {
		const current = get().byDir[dir] ?? { instances: [], loading: false, error: null };
		set({ byDir: { ...get().byDir, [dir]: { ...current, ...entry } } });
	};
	return {
		byDir: {},
		async load(project) {
			put(project.dir, { loading: true });
			try {
				put(project.dir, { instances: await bridge().call("instances.list", targetOf(project)), loading: false, error: null });
			} catch (error) {
				put(project.dir, { loading: false, error: toEnvelope(error) });
			}
		},
		async scale(project, processes) {
			put(project.dir, { scaling: true, scaleError: null });
			try {
				await bridge().call("instances.scale", { ...targetOf(project), processes, wait: true });
				put(project.dir, { scaling: false });
			} catch (error) {
				put(project.dir, { scaling: false, scaleError: toEnvelope(error) });
			}
			await get().load(project);
		},
	};
});
