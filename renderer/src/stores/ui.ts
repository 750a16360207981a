import { create } from "zustand";

export type View = "servers" | "apps" | "deployments" | "logs" | "analytics" | "settings";
export type Theme = "system" | "light" | "dark";

interface UiState {
	view: View;
	/** The app (by folder) the Deployments, Logs and Analytics views show. */
	appDir: string | null;
	theme: Theme;
	go(view: View, appDir?: string): void;
	selectApp(appDir: string): void;
	setTheme(theme: Theme): void;
}

const THEME_KEY = "deploy-ui-theme";

function savedTheme(): Theme {
	const value = globalThis.localStorage?.getItem(THEME_KEY);
	return value === "light" || value === "dark" ? value : "system";
}

export const useUi = create<UiState>()((set) => ({
	view: "servers",
	appDir: null,
	theme: savedTheme(),
	go: (view, appDir) => set(appDir ? { view, appDir } : { view }),
	selectApp: (appDir) => set({ appDir }),
	setTheme: (theme) => {
		globalThis.localStorage?.setItem(THEME_KEY, theme);
		set({ theme });
	},
}));
