// The preload's half of the terminal: window.deployBridge.terminal. Four channels,
// named once in core/terminal/contract.ts; the page never sees ipcRenderer.
import type { IpcRenderer, IpcRendererEvent } from "electron";
import { TERMINAL_CHANNELS, type TerminalBridge, type TerminalExit } from "../core/terminal/contract.js";

type Handlers = Parameters<TerminalBridge["open"]>[1];

export function createTerminalBridge(ipcRenderer: Pick<IpcRenderer, "invoke" | "send" | "on">): TerminalBridge {
	const open = new Map<string, Handlers>();
	// Output can arrive before `open` resolves (a login banner): held until the handlers are known.
	const early = new Map<string, Uint8Array[]>();
	ipcRenderer.on(TERMINAL_CHANNELS.data, (_event: IpcRendererEvent, id: unknown, data: unknown) => {
		if (typeof id !== "string" || !(data instanceof Uint8Array)) return;
		const handlers = open.get(id);
		if (handlers) handlers.onData(data);
		else early.set(id, [...(early.get(id) ?? []), data]);
	});
	ipcRenderer.on(TERMINAL_CHANNELS.close, (_event: IpcRendererEvent, id: unknown, exit: unknown) => {
		if (typeof id !== "string") return;
		const handlers = open.get(id);
		open.delete(id);
		early.delete(id);
		handlers?.onExit((exit ?? { code: null }) as TerminalExit);
	});

	return {
		async open(request, handlers) {
			const answer = (await ipcRenderer.invoke(TERMINAL_CHANNELS.open, request)) as Awaited<ReturnType<TerminalBridge["open"]>>;
			if ("result" in answer) {
				const { id } = answer.result;
				open.set(id, handlers);
				for (const chunk of early.get(id) ?? []) handlers.onData(chunk);
				early.delete(id);
			}
			return answer;
		},
		write(id, data) {
			if (typeof id === "string" && typeof data === "string") ipcRenderer.send(TERMINAL_CHANNELS.data, id, data);
		},
		resize(id, size) {
			if (typeof id === "string") ipcRenderer.send(TERMINAL_CHANNELS.resize, id, size);
		},
		close(id) {
			if (typeof id === "string") ipcRenderer.send(TERMINAL_CHANNELS.close, id);
		},
	};
}
