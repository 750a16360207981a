import type { TerminalExit, TerminalSize } from "./contract.js";

/** Where a shell's output goes; `exit` is called once, last. */
export interface TerminalSink {
	data(chunk: Uint8Array): void;
	exit(exit: TerminalExit): void;
}

/** A running shell with a pty, local or remote: the transports see only this. */
export interface TerminalSession {
	write(data: string | Uint8Array): void;
	resize(size: TerminalSize): void;
	/** Ends the shell (and its connection); the sink then hears `exit`. Safe to call twice. */
	close(): void;
}
