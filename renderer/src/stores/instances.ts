import { create } from "zustand";
import { bridge, type InstanceInfo, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

interface InstancesState {
	byDir: Record<string, { instances: InstanceInfo[]; loading: boolean; error: ErrorEnvelope | null }>;
	load(project: ProjectInfo): Promise<void>;
}

export const useInstances = create<InstancesState>()((set, get) => ({
	byDir: {},
	async load(project) {
		const put = (entry: Partial<InstancesState["byDir"][string]>) => {
			const current = get().byDir[project.dir] ?? { instances: [], loading: false, error: null };
			set({ byDir: { ...get().byDir, [project.dir]: { ...current, ...entry } } });
		};
		put({ loading: true });
		try {
			put({ instances: await bridge().call("instances.list", targetOf(project)), loading: false, error: null });
		} catch (error) {
			put({ loading: false, error: toEnvelope(error) });
		}
	},
}));
