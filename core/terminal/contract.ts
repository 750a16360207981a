// The terminal's one contract for both transports: what opening a shell asks for,
// the control messages, and the desktop bridge's shape. A terminal is two byte
// streams plus a window size, so it is not an api method (those are request/answer
// or one-way event streams): `deploy ui` carries it over a WebSocket, Electron over
// four IPC channels. Zod is the only runtime import, so the preload can bundle it.
import * as z from "zod";
import { serverName } from "../api/target.contract.js";
import type { ErrorInfo } from "../protocol/index.js";

/** Where the shell runs: on this machine (a pty), or on a known server (SSH, pinned host key). */
export const terminalTarget = z.discriminatedUnion("kind", [
	z.strictObject({ kind: z.literal("local") }),
	z.strictObject({ kind: z.literal("server"), server: serverName }),
]);
export type TerminalTarget = z.infer<typeof terminalTarget>;

const dimension = z.number().int().min(1).max(1000);
export const terminalSize = z.strictObject({ cols: dimension, rows: dimension });
export type TerminalSize = z.infer<typeof terminalSize>;

export const terminalOpenRequest = z.strictObject({ target: terminalTarget, cols: dimension, rows: dimension });
export type TerminalOpenRequest = z.infer<typeof terminalOpenRequest>;

/** How a shell ended: its exit code when it exited, or why the line broke. */
export interface TerminalExit {
	code: number | null;
	error?: ErrorInfo;
}

/**
 * WebSocket control messages travel as JSON text frames; the shell's bytes as binary
 * frames both ways. The client's first text frame must be `open`.
 */
export const terminalClientMessage = z.discriminatedUnion("type", [
	terminalOpenRequest.extend({ type: z.literal("open") }),
	terminalSize.extend({ type: z.literal("resize") }),
]);
export type TerminalClientMessage = z.infer<typeof terminalClientMessage>;

export type TerminalServerMessage = { type: "opened" } | ({ type: "exit" } & TerminalExit);

/** The WebSocket's path and subprotocols: the token rides as `token.<token>`, never in the URL. */
export const TERMINAL_PATH = "/api/terminal";
export const TERMINAL_PROTOCOL = "deploy.terminal.v1";
export const TOKEN_PROTOCOL_PREFIX = "token.";

/** Electron's channels: open is invoked; data both ways; resize to main; close both ways (main's carries the exit). */
export const TERMINAL_CHANNELS = { open: "terminal:open", data: "terminal:data", resize: "terminal:resize", close: "terminal:close" } as const;

/** `window.deployBridge.terminal` in the desktop app (electron/terminal-bridge.ts). */
export interface TerminalBridge {
	/** Opens a shell; resolves to its id, or the error envelope (like `call`). */
	open(request: TerminalOpenRequest, handlers: { onData: (data: Uint8Array) => void; onExit: (exit: TerminalExit) => void }): Promise<{ result: { id: string } } | { error: ErrorInfo }>;
	write(id: string, data: string): void;
	resize(id: string, size: TerminalSize): void;
	close(id: string): void;
}
