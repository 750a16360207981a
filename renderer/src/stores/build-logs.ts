import { create } from "zustand";
import { bridge, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

// Issue 14: the build log of any past deployment, opened from its row in Deployments.

export interface BuildLog {
	lines: { text: string; stderr: boolean }[];
	loading: boolean;
	error: ErrorEnvelope | null;
}

interface BuildLogsState {
	/** By deployment id; a closed log has no entry. */
	logs: Record<string, BuildLog>;
	/** Opens the log (read from the server each time: it may be a running deployment's), or closes it. */
	toggle(project: ProjectInfo, id: string): Promise<void>;
}

/** Enough for any build a person reads here; `deploy logs --build` prints all of it. */
const MAX_LINES = 5000;

export const useBuildLogs = create<BuildLogsState>()((set, get) => {
	const update = (id: string, patch: Partial<BuildLog>) => {
		const current = get().logs[id];
		if (current) set({ logs: { ...get().logs, [id]: { ...current, ...patch } } });
	};
	return {
		logs: {},
		async toggle(project, id) {
			if (get().logs[id]) {
				const { [id]: _closed, ...rest } = get().logs;
				set({ logs: rest });
				return;
			}
			set({ logs: { ...get().logs, [id]: { lines: [], loading: true, error: null } } });
			const lines: BuildLog["lines"] = [];
			try {
				await bridge().call(
					"logs.build",
					{ ...targetOf(project), id },
					{
						onEvent: (event) => {
							if (event.type === "log" && lines.length < MAX_LINES) lines.push({ text: event.line, stderr: event.stream === "stderr" });
						},
					},
				);
				update(id, { lines, loading: false });
			} catch (error) {
				update(id, { lines, loading: false, error: toEnvelope(error) });
			}
		},
	};
});
