import type { ProjectInfo } from "../api/types.js";
import { loadProject } from "../deploy/project.js";
import type { Project } from "../store/index.js";

/** The project folders this machine knows: linked in the desktop, or deployed from. */
export async function listProjects(): Promise<ProjectInfo[]> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		return (await store.projects.list()).map(toProjectInfo);
	} finally {
		await store.close();
	}
}

/**
 * Remembers a folder as an app: its config is loaded and validated first (a bad one
 * is CONFIG_INVALID and nothing is stored), then it is upserted by app name. The
 * server named in deploy.yaml is kept; an existing project's server stays when none is.
 */
export async function linkProject(dir: string): Promise<ProjectInfo> {
	const project = await loadProject(dir);
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const stored = await store.projects.upsert({
			name: project.spec.name,
			dir: project.dir,
			...(project.server !== undefined ? { server: project.server } : {}),
		});
		return toProjectInfo(stored);
	} finally {
		await store.close();
	}
}

function toProjectInfo(project: Project): ProjectInfo {
	return { name: project.name, dir: project.dir, server: project.server };
}
