// The desktop app's main process: a thin layer. Every operation is core's api,
// reached through the one IPC bridge derived from core/api/contract.ts.
import { fileURLToPath } from "node:url";
import { app, BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, ipcMain, session } from "electron";
import { createApi } from "../core/api/index.js";
import { createTerminals } from "../core/terminal/index.js";
import { registerApiHandlers } from "./ipc.js";
import { keepSecretsKeyInKeychain } from "./keychain.js";
import { setAppMenu } from "./menu.js";
import { notifyEnd } from "./notify.js";
import { originOf } from "./origin.js";
import { APP_ORIGIN, registerAppScheme, serveRenderer } from "./protocol.js";
import { providers } from "./providers.js";
import { registerTerminalHandlers } from "./terminal-ipc.js";
import { createStatusTray, type StatusTray } from "./tray.js";
import { createMainWindow } from "./window.js";

// electron-vite's dev server in development; the built renderer behind app:// otherwise.
const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const pageUrl = devUrl ?? `${APP_ORIGIN}/index.html`;
const pageOrigin = originOf(pageUrl);

registerAppScheme();
app.enableSandbox();

let tray: StatusTray | null = null;
const isTrustedSender = (event: IpcMainInvokeEvent | IpcMainEvent) => {
	const url = event.senderFrame?.url;
	return url !== undefined && originOf(url) === pageOrigin;
};
const stopCalls = registerApiHandlers(ipcMain, createApi(providers), {
	isTrustedSender,
	onCallEnd: (method, answer) => {
		const status = notifyEnd(method, answer);
		if (status) {
			setAppMenu(status);
			tray?.setStatus(status);
		}
	},
});
// The terminal tab: the SSH provider's shell channel, or a pty on this machine.
const stopTerminals = registerTerminalHandlers(ipcMain, createTerminals({ ssh: () => import("../providers/ssh/index.js") }), { isTrustedSender });

function openWindow(): BrowserWindow {
	return createMainWindow({ url: pageUrl, preload: fileURLToPath(new URL("../preload/index.cjs", import.meta.url)) });
}

app.whenReady().then(() => {
	keepSecretsKeyInKeychain();
	serveRenderer(fileURLToPath(new URL("../renderer/", import.meta.url)));
	// No remote content: the page may load only from its own origin (and devtools).
	session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
		const { protocol } = new URL(details.url);
		callback({ cancel: !(originOf(details.url) === pageOrigin || protocol === "devtools:" || (devUrl !== undefined && protocol === "ws:")) });
	});
	// Issue 7: notifications only (alerts in the Analytics view); every other permission is refused.
	session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === "notifications"));
	setAppMenu(null);
	openWindow();
	tray = createStatusTray(() => {
		const [window] = BrowserWindow.getAllWindows();
		if (window) window.show();
		else openWindow();
	});
	app.on("activate", () => BrowserWindow.getAllWindows().length === 0 && openWindow());
});

app.on("window-all-closed", () => process.platform === "darwin" || app.quit());
app.on("before-quit", () => {
	stopCalls();
	stopTerminals();
	tray?.destroy();
});
