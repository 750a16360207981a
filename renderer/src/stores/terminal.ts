import { create } from "zustand";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { type TerminalHandle, type TerminalOpenRequest, type TerminalSize, terminalTransport } from "../api/terminal.js";

export type TerminalTarget = TerminalOpenRequest["target"];

interface TerminalState {
	status: "idle" | "connecting" | "open" | "ended";
	/** What the running (or last) shell runs on. */
	target: TerminalTarget | null;
	exitCode: number | null;
	error: ErrorEnvelope | null;
	/** Starts a shell; its output goes to `output` (the xterm). One shell at a time. */
	open(target: TerminalTarget, size: TerminalSize, output: (data: Uint8Array) => void): Promise<void>;
	write(data: string): void;
	resize(size: TerminalSize): void;
	/** Ends the shell: closing the tab ends it on the server too. */
	close(): void;
}

let handle: TerminalHandle | null = null;
/** Tells a late answer of a replaced shell from the current one. */
let generation = 0;

export const useTerminal = create<TerminalState>()((set, get) => ({
	status: "idle",
	target: null,
	exitCode: null,
	error: null,
	async open(target, size, output) {
		get().close();
		const mine = ++generation;
		set({ status: "connecting", target, exitCode: null, error: null });
		try {
			const opened = await terminalTransport().open(
				{ target, ...size },
				{
					onData: (data) => mine === generation && output(data),
					onExit: (exit) => {
						if (mine !== generation) return;
						handle = null;
						set({ status: "ended", exitCode: exit.code, error: exit.error ?? null });
					},
				},
			);
			if (mine !== generation) return opened.close();
			// It may have ended already (a shell that exits at once).
			if (get().status === "connecting") {
				handle = opened;
				set({ status: "open" });
			}
		} catch (error) {
			if (mine === generation) set({ status: "ended", error: toEnvelope(error) });
		}
	},
	write: (data) => handle?.write(data),
	resize: (size) => handle?.resize(size),
	close() {
		generation++;
		handle?.close();
		handle = null;
		if (get().status === "open" || get().status === "connecting") set({ status: "ended" });
	},
}));

/** How the view names a shell's place. */
export function describeTarget(target: TerminalTarget | null): string {
	if (!target) return "";
	return target.kind === "local" ? "this machine" : `server ${target.server}`;
}
