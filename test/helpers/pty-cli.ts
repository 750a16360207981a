// The built CLI on a pseudo-terminal (node-pty): what a person at a terminal sees,
// for what depends on one (control sequences printed, a hidden prompt).
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import * as pty from "node-pty";
import { repoRoot } from "./cli.js";

const bin = fileURLToPath(new URL("../../bin/deploy", import.meta.url));

export interface PtyCli {
	/** Everything the terminal received so far, stdout and stderr together, as bytes decoded by the pty. */
	output(): string;
	/** Waits until the output matches, or fails with what it shows. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
	/** Types on the terminal's keyboard. */
	type(text: string): void;
	/** The exit code and the whole output, once the command has ended. */
	exit: Promise<{ code: number; output: string }>;
}

export function startCliInPty(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): PtyCli {
	const child = pty.spawn(process.execPath, [bin, ...args], {
		cwd: options.cwd ?? repoRoot,
		env: { ...process.env, ...options.env } as Record<string, string>,
		cols: 200,
		rows: 50,
	});
	let output = "";
	child.onData((data) => {
		output += data;
	});
	// The last output can arrive just after the exit is reported: give it a moment.
	const exit = new Promise<{ code: number; output: string }>((resolve) => child.onExit(({ exitCode }) => void sleep(200).then(() => resolve({ code: exitCode, output }))));
	return {
		output: () => output,
		async waitFor(pattern, timeoutMs = 30_000) {
			for (const start = Date.now(); !pattern.test(output); await sleep(50)) {
				if (Date.now() - start > timeoutMs) throw new Error(`no ${pattern} on the terminal within ${timeoutMs} ms; it shows:\n${JSON.stringify(output)}`);
			}
		},
		type: (text) => child.write(text),
		exit,
	};
}

/** Runs the command on a terminal to its end. */
export function runCliInPty(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; output: string }> {
	return startCliInPty(args, options).exit;
}
