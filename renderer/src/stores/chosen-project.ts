import { useEffect } from "react";
import { pickProject, useProjects } from "./projects.js";
import { useUi } from "./ui.js";

/**
 * What every per-app view starts with: the linked projects (loaded when the view opens)
 * and the one chosen in its app picker, which stays chosen from view to view.
 */
export function useChosenProject() {
	const { projects, loaded, load } = useProjects();
	const { appDir, selectApp } = useUi();
	useEffect(() => {
		void load();
	}, [load]);
	return { projects, loaded, project: pickProject(projects, appDir), selectApp };
}
