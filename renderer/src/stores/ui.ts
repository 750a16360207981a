import { create } from "zustand";

export type View = "servers" | "apps" | "overview" | "deployments" | "logs" | "instances" | "analytics" | "env" | "domains" | "team" | "terminal" | "settings";
export type Theme = "system" | "light" | "dark";

interface UiState {
	view: View;
	/** The app (by folder) the Overview, Deployments, Logs, Instances, Analytics, Env and Domains views show. */
	appDir: string | null;
	theme: Theme;
	go(view: View, appDir?: string): void;
	selectApp(appDir: string): void;
	setTheme(theme: Theme): void;
}

const THEME_KEY = "deploy-ui-theme";
/** Absent where the stores run outside a browser (their unit tests in Node). */
const storage = (globalThis as { localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void } }).localStorage;

function savedTheme(): Theme {
	const value = storage?.getItem(THEME_KEY);
	return value === "light" || value === "dark" ? value : "system";
}

export const useUi = create<UiState>()((set) => ({
	view: "servers",
	appDir: null,
	theme: savedTheme(),
	go: (view, appDir) => set(appDir ? { view, appDir } : { view }),
	selectApp: (appDir) => set({ appDir }),
	setTheme: (theme) => {
		storage?.setItem(THEME_KEY, theme);
		set({ theme });
	},
}));
