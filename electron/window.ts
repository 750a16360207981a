import { BrowserWindow, shell } from "electron";
import { originOf } from "./origin.js";

export interface WindowOptions {
	preload: string;
	/** The renderer's page: app://renderer/index.html, or electron-vite's dev server. */
	url: string;
}

/**
 * The one window: sandboxed, isolated, no Node in the page, and locked to its own
 * origin. Links to http(s) open in the user's browser, never in the app.
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
	const origin = originOf(options.url);
	const window = new BrowserWindow({
		width: 1200,
		height: 800,
		minWidth: 720,
		minHeight: 480,
		show: false,
		title: "Deploy",
		webPreferences: {
			preload: options.preload,
			contextIsolation: true,
			nodeIntegration: false,
			nodeIntegrationInWorker: false,
			sandbox: true,
			webSecurity: true,
			allowRunningInsecureContent: false,
			webviewTag: false,
			spellcheck: false,
		},
	});
	const stayHome = (event: { preventDefault(): void }, url: string) => {
		if (originOf(url) !== origin) event.preventDefault();
	};
	window.webContents.on("will-navigate", stayHome);
	window.webContents.on("will-redirect", stayHome);
	window.webContents.on("will-attach-webview", (event) => event.preventDefault());
	window.webContents.setWindowOpenHandler(({ url }) => {
		if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
		return { action: "deny" };
	});
	window.once("ready-to-show", () => window.show());
	void window.loadURL(options.url);
	return window;
}
