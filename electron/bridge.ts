// The preload's half of the bridge, as a factory so tests can hand it stubs. It
// exposes the contract's methods and nothing else: no ipcRenderer, no channel names.
import type { IpcRenderer, IpcRendererEvent, WebUtils } from "electron";
import { type ApiEnvelope, apiMethodNames, type DeployBridge, isApiMethod } from "../core/api/contract.js";
import type { DeployEvent } from "../core/protocol/index.js";
import { createTerminalBridge } from "./terminal-bridge.js";

// Literal channel names: importing electron/ipc.ts would pull main-process code in.
const CALL = "api:call";
const EVENT = "api:event";
const CANCEL = "api:cancel";

export function createDeployBridge(ipcRenderer: Pick<IpcRenderer, "invoke" | "send" | "on">, webUtils: Pick<WebUtils, "getPathForFile">): DeployBridge {
	const listeners = new Map<string, (event: DeployEvent) => void>();
	let next = 0;
	ipcRenderer.on(EVENT, (_event: IpcRendererEvent, callId: unknown, event: unknown) => {
		if (typeof callId === "string") listeners.get(callId)?.(event as DeployEvent);
	});

	return {
		methods: Object.freeze([...apiMethodNames]),
		async call(method, input, options = {}) {
			if (!isApiMethod(method)) {
				return { error: { code: "UNKNOWN_METHOD", message: `There is no api method "${String(method)}".` } };
			}
			const callId = options.callId ?? `call-${Date.now().toString(36)}-${next++}`;
			if (options.onEvent) listeners.set(callId, options.onEvent);
			try {
				return (await ipcRenderer.invoke(CALL, callId, method, input)) as ApiEnvelope<typeof method>;
			} finally {
				listeners.delete(callId);
			}
		},
		cancel(callId) {
			if (typeof callId === "string") ipcRenderer.send(CANCEL, callId);
		},
		terminal: createTerminalBridge(ipcRenderer),
		pathForFile(file) {
			try {
				return webUtils.getPathForFile(file as File);
			} catch {
				return "";
			}
		},
	};
}
