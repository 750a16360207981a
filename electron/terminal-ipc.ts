// The main process's half of the terminal: shells opened for the window's page,
// keyed by the page and an id, ended when the page asks, goes away or the app quits.
import { randomUUID } from "node:crypto";
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from "electron";
import { DeployError, toErrorInfo } from "../core/protocol/index.js";
import { TERMINAL_CHANNELS, terminalSize } from "../core/terminal/contract.js";
import type { Terminals, TerminalSession } from "../core/terminal/index.js";

export interface TerminalHandlerHooks {
	isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean;
}

/** Registers the handlers; returns a function that ends every shell (on quit). */
export function registerTerminalHandlers(ipcMain: Pick<IpcMain, "handle" | "on">, terminals: Terminals, hooks: TerminalHandlerHooks): () => void {
	const sessions = new Map<string, TerminalSession>();
	const keyOf = (sender: Pick<WebContents, "id">, id: string) => `${sender.id}:${id}`;
	const find = (event: IpcMainEvent, id: unknown) => (typeof id === "string" && hooks.isTrustedSender(event) ? sessions.get(keyOf(event.sender, id)) : undefined);

	ipcMain.handle(TERMINAL_CHANNELS.open, async (event, request: unknown) => {
		try {
			if (!hooks.isTrustedSender(event)) throw new DeployError("FORBIDDEN", "This page may not open a terminal.");
			const { sender } = event;
			const id = randomUUID();
			const key = keyOf(sender, id);
			let exited = false;
			const end = () => session.close();
			const session = await terminals.open(request, {
				data: (chunk) => sender.isDestroyed() || sender.send(TERMINAL_CHANNELS.data, id, new Uint8Array(chunk)),
				exit: (exit) => {
					exited = true;
					sessions.delete(key);
					sender.removeListener("destroyed", end);
					if (!sender.isDestroyed()) sender.send(TERMINAL_CHANNELS.close, id, exit);
				},
			});
			if (!exited) {
				sessions.set(key, session);
				// A reloaded or closed page leaves no shell behind.
				sender.once("destroyed", end);
			}
			return { result: { id } };
		} catch (error) {
			return { error: toErrorInfo(error) };
		}
	});

	ipcMain.on(TERMINAL_CHANNELS.data, (event, id: unknown, data: unknown) => {
		if (typeof data === "string" && data.length <= 1024 * 1024) find(event, id)?.write(data);
	});
	ipcMain.on(TERMINAL_CHANNELS.resize, (event, id: unknown, size: unknown) => {
		const parsed = terminalSize.safeParse(size);
		if (parsed.success) find(event, id)?.resize(parsed.data);
	});
	ipcMain.on(TERMINAL_CHANNELS.close, (event, id: unknown) => find(event, id)?.close());

	return () => {
		for (const session of sessions.values()) session.close();
	};
}
