// Drag a folder onto the window to deploy it. Only the desktop app can: Electron
// turns a dropped folder into its path (DeployBridge.pathForFile); a browser never
// tells a page where a dropped file lives, so there the person is told what to do.
import { create } from "zustand";
import type { ProjectInfo } from "../api/bridge.js";
import { useDeployments } from "./deployments.js";
import { useProjects } from "./projects.js";
import { useUi } from "./ui.js";

export const NO_PATH_MESSAGE =
	"This browser does not tell the page where a dropped folder is. Type its path in the Apps view (Project folder on this machine), or drop it on the desktop app.";

interface DropState {
	/** What the last drop did, for a person; null when there is nothing to say. */
	message: { tone: "info" | "error"; text: string } | null;
	/** `path` is "" when the platform gave none (a browser). Links the folder, then deploys it. */
	dropped(path: string): Promise<ProjectInfo | null>;
	dismiss(): void;
}

export const useDrop = create<DropState>()((set) => ({
	message: null,
	async dropped(path) {
		if (!path) {
			set({ message: { tone: "error", text: NO_PATH_MESSAGE } });
			return null;
		}
		set({ message: { tone: "info", text: `Linking ${path}…` } });
		const project = await useProjects.getState().link(path);
		if (!project) {
			const error = useProjects.getState().linkError;
			set({ message: { tone: "error", text: `${path} was not linked: ${error?.message ?? "unknown error"}` } });
			return null;
		}
		set({ message: { tone: "info", text: `Deploying ${project.name} from ${path}.` } });
		useUi.getState().go("deployments", project.dir);
		void useDeployments.getState().deploy(project);
		return project;
	},
	dismiss: () => set({ message: null }),
}));
