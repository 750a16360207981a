import { create } from "zustand";
import { bridge, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";

interface ProjectsState {
	projects: ProjectInfo[];
	loaded: boolean;
	error: ErrorEnvelope | null;
	linkError: ErrorEnvelope | null;
	linking: boolean;
	load(): Promise<void>;
	/** Remembers a local folder as an app; resolves to it, or null when the folder was refused. */
	link(dir: string): Promise<ProjectInfo | null>;
}

export const useProjects = create<ProjectsState>()((set, get) => ({
	projects: [],
	loaded: false,
	error: null,
	linkError: null,
	linking: false,
	async load() {
		try {
			set({ projects: await bridge().call("projects.list", undefined), loaded: true, error: null });
		} catch (error) {
			set({ loaded: true, error: toEnvelope(error) });
		}
	},
	async link(dir) {
		set({ linking: true, linkError: null });
		try {
			const project = await bridge().call("projects.link", { dir });
			await get().load();
			return project;
		} catch (error) {
			set({ linkError: toEnvelope(error) });
			return null;
		} finally {
			set({ linking: false });
		}
	},
}));

/** The project a view shows: the chosen one, else the first. */
export function pickProject(projects: ProjectInfo[], dir: string | null): ProjectInfo | null {
	return projects.find((project) => project.dir === dir) ?? projects[0] ?? null;
}
