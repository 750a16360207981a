// The main process's half of the bridge: ONE handler for every method of the
// contract. The method must be in apiMethods and its input must pass the schema
// (invokeApi checks both); events of stream methods go back on "api:event".
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent } from "electron";
import { type ApiEnvelope, type ApiMethod, apiMethods, invokeApi, isApiMethod } from "../core/api/contract.js";
import type { Api } from "../core/api/index.js";
import { DeployError, toErrorInfo } from "../core/protocol/index.js";

export const IPC_CHANNELS = { call: "api:call", event: "api:event", cancel: "api:cancel" } as const;

export interface ApiHandlerHooks {
	/** Only our own window's pages may call (never a frame that navigated elsewhere). */
	isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean;
	/** Told when a call ends, success or failure (for notifications). */
	onCallEnd?(method: ApiMethod, answer: ApiEnvelope): void;
}

/** Registers the handlers; returns a function that cancels every running call (on quit). */
export function registerApiHandlers(ipcMain: Pick<IpcMain, "handle" | "on">, api: Api, hooks: ApiHandlerHooks): () => void {
	const running = new Map<string, AbortController>();
	const keyOf = (event: IpcMainInvokeEvent | IpcMainEvent, callId: string) => `${event.sender.id}:${callId}`;

	ipcMain.handle(IPC_CHANNELS.call, async (event, callId: unknown, method: unknown, input: unknown): Promise<ApiEnvelope> => {
		let answer: ApiEnvelope;
		try {
			if (!hooks.isTrustedSender(event)) throw new DeployError("FORBIDDEN", "This page may not call the api.");
			if (typeof callId !== "string" || callId.length === 0 || callId.length > 128) throw new DeployError("BAD_REQUEST", "A call needs a callId (a short string).");
			if (!isApiMethod(method)) throw new DeployError("UNKNOWN_METHOD", `There is no api method "${String(method)}".`);
			const key = keyOf(event, callId);
			if (running.has(key)) throw new DeployError("BAD_REQUEST", `Call ${callId} is already running.`);
			const controller = new AbortController();
			const abort = () => controller.abort();
			running.set(key, controller);
			event.sender.once("destroyed", abort);
			try {
				const send = (value: unknown) => event.sender.isDestroyed() || event.sender.send(IPC_CHANNELS.event, callId, value);
				const result = await invokeApi(api, method, input, {
					signal: controller.signal,
					...(apiMethods[method].stream ? { onEvent: send } : {}),
				});
				answer = { result: result ?? null } as ApiEnvelope;
			} finally {
				running.delete(key);
				event.sender.removeListener("destroyed", abort);
			}
		} catch (error) {
			answer = { error: toErrorInfo(error) };
		}
		if (isApiMethod(method)) hooks.onCallEnd?.(method, answer);
		return answer;
	});

	ipcMain.on(IPC_CHANNELS.cancel, (event, callId: unknown) => {
		if (typeof callId === "string") running.get(keyOf(event, callId))?.abort();
	});

	return () => {
		for (const controller of running.values()) controller.abort();
	};
}
