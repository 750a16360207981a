// A stand-in for the `electron` module (no Electron binary can be downloaded or run
// here). It records what the app asks of Electron, and wires ipcMain to ipcRenderer
// in-process so the preload's bridge and the main process's handlers talk for real.
import { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export const recorded = {
	windows: [] as StubBrowserWindow[],
	exposed: new Map<string, unknown>(),
	notifications: [] as { title: string; body: string }[],
	opened: [] as string[],
	menus: [] as unknown[],
	trays: [] as StubTray[],
	schemes: [] as unknown[],
	protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
	handles: new Map<string, Handler>(),
	listeners: new Map<string, Handler>(),
	sandboxEnabled: false,
	beforeRequest: undefined as undefined | ((details: { url: string }, callback: (answer: { cancel: boolean }) => void) => void),
};

class StubWebContents extends EventEmitter {
	readonly id: number;
	openHandler: ((details: { url: string }) => { action: string }) | undefined;
	loadedUrl: string | undefined;
	constructor(id: number) {
		super();
		this.id = id;
	}
	setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
		this.openHandler = handler;
	}
	isDestroyed() {
		return false;
	}
	send(channel: string, ...args: unknown[]) {
		rendererChannel.emit(channel, {}, ...args);
	}
}

class StubBrowserWindow extends EventEmitter {
	readonly options: Record<string, unknown>;
	readonly webContents: StubWebContents;
	constructor(options: Record<string, unknown>) {
		super();
		this.options = options;
		this.webContents = new StubWebContents(recorded.windows.length + 1);
		recorded.windows.push(this);
	}
	static getAllWindows() {
		return recorded.windows;
	}
	async loadURL(url: string) {
		this.webContents.loadedUrl = url;
	}
	show() {}
}
export { StubBrowserWindow as BrowserWindow };

const rendererChannel = new EventEmitter();

export const app = Object.assign(new EventEmitter(), {
	isPackaged: false,
	whenReady: () => Promise.resolve(),
	enableSandbox: () => {
		recorded.sandboxEnabled = true;
	},
	quit: () => {},
});

export const ipcMain = {
	handle: (channel: string, handler: Handler) => recorded.handles.set(channel, handler),
	on: (channel: string, handler: Handler) => recorded.listeners.set(channel, handler),
};

/** What the page's frame is: the tests move it elsewhere to check the sender check. */
export const page = { url: "app://renderer/index.html" };

function senderEvent() {
	const sender = recorded.windows[0]?.webContents;
	if (!sender) throw new Error("no window yet");
	return { sender, senderFrame: { url: page.url } };
}

export const ipcRenderer = {
	invoke: async (channel: string, ...args: unknown[]) => {
		const handler = recorded.handles.get(channel);
		if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
		// Electron structured-clones what crosses; JSON is close enough for plain data.
		return JSON.parse(JSON.stringify(await handler(senderEvent(), ...JSON.parse(JSON.stringify(args)))));
	},
	send: (channel: string, ...args: unknown[]) => recorded.listeners.get(channel)?.(senderEvent(), ...args),
	on: (channel: string, listener: (...args: unknown[]) => void) => rendererChannel.on(channel, listener),
};

export const contextBridge = {
	exposeInMainWorld: (key: string, value: unknown) => recorded.exposed.set(key, value),
};

export const webUtils = {
	getPathForFile: (file: { path?: string }) => file.path ?? "",
};

export const shell = {
	openExternal: async (url: string) => {
		recorded.opened.push(url);
	},
};

export class Notification {
	static isSupported() {
		return true;
	}
	constructor(private readonly options: { title: string; body: string }) {}
	show() {
		recorded.notifications.push({ title: this.options.title, body: this.options.body });
	}
}

class StubImage {
	resize() {
		return this;
	}
}

export const nativeImage = {
	createFromDataURL: (url: string) => {
		if (!url.startsWith("data:image/png;base64,")) throw new Error("not a PNG data URL");
		return new StubImage();
	},
};

class StubTray extends EventEmitter {
	tooltip = "";
	menu: unknown = null;
	constructor(readonly image: unknown) {
		super();
		recorded.trays.push(this);
	}
	setToolTip(text: string) {
		this.tooltip = text;
	}
	setContextMenu(menu: unknown) {
		this.menu = menu;
	}
	destroy() {}
}
export { StubTray as Tray };

export const Menu = {
	buildFromTemplate: (template: unknown) => template,
	setApplicationMenu: (menu: unknown) => recorded.menus.push(menu),
};

export const protocol = {
	registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.schemes.push(...schemes),
	handle: (scheme: string, handler: (request: Request) => Promise<Response>) => recorded.protocolHandlers.set(scheme, handler),
};

/** Node's fetch has no file: URLs; Electron's net.fetch does. */
export const net = {
	fetch: async (url: string) =>
		readFile(fileURLToPath(url)).then(
			(body) => new Response(body, { headers: { "content-type": url.endsWith(".html") ? "text/html" : "application/octet-stream" } }),
			() => new Response("", { status: 404 }),
		),
};

export const session = {
	defaultSession: {
		webRequest: {
			onBeforeRequest: (listener: typeof recorded.beforeRequest) => {
				recorded.beforeRequest = listener;
			},
		},
		setPermissionRequestHandler: () => {},
	},
};

/**
 * No OS keychain here: electron/keychain.ts then keeps the key file. Exported as
 * undefined rather than left out because vi.mock's module refuses unknown names.
 */
export const safeStorage = undefined;
