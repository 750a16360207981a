import { create } from "zustand";
import type { AlertRecord } from "../../../core/api/metrics.js";
import { bridge, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

export interface AlertsEntry {
	firing: AlertRecord[];
	loading: boolean;
	error: ErrorEnvelope | null;
}

interface AlertsState {
	byDir: Record<string, AlertsEntry>;
	load(project: ProjectInfo): Promise<void>;
}

/** The alerts firing now for an app (metrics.alerts), read once per visit of the Overview. */
export const useAlerts = create<AlertsState>()((set, get) => ({
	byDir: {},
	async load(project) {
		const put = (entry: Partial<AlertsEntry>) => {
			const current = get().byDir[project.dir] ?? { firing: [], loading: false, error: null };
			set({ byDir: { ...get().byDir, [project.dir]: { ...current, ...entry } } });
		};
		put({ loading: true });
		try {
			const { firing } = await bridge().call("metrics.alerts", { ...targetOf(project), limit: 20 });
			put({ firing, loading: false, error: null });
		} catch (error) {
			put({ loading: false, error: toEnvelope(error) });
		}
	},
}));
