// A shell on this machine, in a real pseudo-terminal (node-pty): what the desktop's
// terminal tab opens for "This machine". node-pty is native, so it loads on first use.
import { homedir } from "node:os";
import { DeployError } from "../protocol/index.js";
import type { TerminalSize } from "./contract.js";
import type { TerminalSession, TerminalSink } from "./session.js";

/** The user's login shell; Windows has no $SHELL. */
function userShell(): string {
	if (process.platform === "win32") return process.env.COMSPEC ?? "powershell.exe";
	return process.env.SHELL || "/bin/sh";
}

export async function openLocalShell(size: TerminalSize, sink: TerminalSink): Promise<TerminalSession> {
	const pty = await import("node-pty");
	let child: import("node-pty").IPty;
	try {
		child = pty.spawn(userShell(), [], {
			name: "xterm-256color",
			cols: size.cols,
			rows: size.rows,
			cwd: homedir(),
			env: { ...process.env, TERM: "xterm-256color" } as Record<string, string>,
			// Bytes, not strings: a UTF-8 sequence split across reads stays whole for xterm.js.
			encoding: null,
		});
	} catch (error) {
		throw new DeployError("TERMINAL_FAILED", `The shell ${userShell()} could not start: ${error instanceof Error ? error.message : String(error)}`, "Check that $SHELL names an installed shell.");
	}
	let ended = false;
	child.onData((chunk) => sink.data(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
	child.onExit(({ exitCode }) => {
		if (ended) return;
		ended = true;
		sink.exit({ code: exitCode });
	});
	return {
		write: (data) => ended || child.write(typeof data === "string" ? data : Buffer.from(data)),
		resize: ({ cols, rows }) => ended || child.resize(cols, rows),
		close() {
			if (ended) return;
			// SIGHUP is what a closed terminal window sends: shells exit on it.
			child.kill(process.platform === "win32" ? undefined : "SIGHUP");
		},
	};
}
