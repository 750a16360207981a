// The renderer's door to a terminal: a shell's bytes both ways and its window size.
// Two implementations, like the api bridge: `deploy ui`'s WebSocket and Electron's
// preload (window.deployBridge.terminal). Only TYPES come from core.
import type { TerminalBridge, TerminalExit, TerminalOpenRequest, TerminalSize } from "../../../core/terminal/contract.js";
import { ApiError, asEnvelope } from "./errors.js";

export type { TerminalExit, TerminalOpenRequest, TerminalSize };

export interface TerminalHandlers {
	onData(data: Uint8Array): void;
	/** Once, when the shell ends or the line breaks. */
	onExit(exit: TerminalExit): void;
}

export interface TerminalHandle {
	write(data: string): void;
	resize(size: TerminalSize): void;
	close(): void;
}

export interface TerminalTransport {
	/** Resolves once the shell runs; rejects with an ApiError when it cannot start. */
	open(request: TerminalOpenRequest, handlers: TerminalHandlers): Promise<TerminalHandle>;
}

let current: TerminalTransport | null = null;

export function setTerminalTransport(transport: TerminalTransport): void {
	current = transport;
}

export function terminalTransport(): TerminalTransport {
	if (!current) throw new Error("The terminal transport is not set up yet.");
	return current;
}

/** `deploy ui`: a WebSocket on this page's origin; the token as a subprotocol, never in the URL. */
export class WebSocketTerminal implements TerminalTransport {
	constructor(
		/** e.g. "ws://127.0.0.1:4321" */
		private readonly origin: string,
		private readonly token: string,
	) {}

	open(request: TerminalOpenRequest, handlers: TerminalHandlers): Promise<TerminalHandle> {
		const socket = new WebSocket(`${this.origin}/api/terminal`, ["deploy.terminal.v1", `token.${this.token}`]);
		socket.binaryType = "arraybuffer";
		const encoder = new TextEncoder();
		return new Promise((resolve, reject) => {
			let opened = false;
			let ended = false;
			const end = (exit: TerminalExit) => {
				if (ended) return;
				ended = true;
				if (opened) handlers.onExit(exit);
				else reject(new ApiError(exit.error ?? { code: "TERMINAL_FAILED", message: "The terminal closed before the shell started." }));
			};
			socket.onopen = () => socket.send(JSON.stringify({ type: "open", ...request }));
			socket.onmessage = (message: { data: unknown }) => {
				if (typeof message.data !== "string") return handlers.onData(new Uint8Array(message.data as ArrayBuffer));
				const control = JSON.parse(message.data) as { type: string; code?: number | null; error?: unknown };
				if (control.type === "opened") {
					opened = true;
					resolve({
						write: (data) => socket.readyState === WebSocket.OPEN && socket.send(encoder.encode(data)),
						resize: (size) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify({ type: "resize", ...size })),
						close: () => socket.close(1000),
					});
				} else if (control.type === "exit") {
					const error = asEnvelope(control.error);
					end({ code: control.code ?? null, ...(error ? { error } : {}) });
				}
			};
			// A refused upgrade (no token, wrong token) shows up only as a close without a reason.
			socket.onclose = () =>
				end({ code: null, ...(opened ? {} : { error: { code: "TERMINAL_REFUSED", message: "`deploy ui` refused the terminal connection.", hint: "Open the URL `deploy ui` printed last (a restart prints a new one)." } }) });
		});
	}
}

/** The desktop app: the preload's terminal bridge, errors rebuilt from their envelope. */
export class ElectronTerminal implements TerminalTransport {
	constructor(private readonly preload: TerminalBridge) {}

	async open(request: TerminalOpenRequest, handlers: TerminalHandlers): Promise<TerminalHandle> {
		const answer = await this.preload.open(request, handlers);
		if ("error" in answer) throw new ApiError(asEnvelope(answer.error) ?? { code: "TERMINAL_FAILED", message: "The terminal could not start." });
		const { id } = answer.result;
		return {
			write: (data) => this.preload.write(id, data),
			resize: (size) => this.preload.resize(id, size),
			close: () => this.preload.close(id),
		};
	}
}
