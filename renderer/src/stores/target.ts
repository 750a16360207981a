import type { ProjectInfo } from "../api/bridge.js";

/** How the api finds an app: its folder (deploy.yaml, package.json) and, once known, its server. */
export function targetOf(project: ProjectInfo): { dir: string; server?: string } {
	return { dir: project.dir, ...(project.server ? { server: project.server } : {}) };
}
