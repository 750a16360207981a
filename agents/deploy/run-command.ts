import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import { killGroup } from "../processes/proc.js";
import { baseEnv } from "../util/env.js";
import { LastLines, lineSplitter } from "../util/lines.js";

export interface RunCommandOptions {
	command: string;
	cwd: string;
	env: Record<string, string>;
	signal: AbortSignal;
	onLine: (line: string, stream: "stdout" | "stderr") => void;
	/** How a failure is reported: INSTALL_FAILED or BUILD_FAILED, and what to suggest. */
	failure: { code: string; what: string; hint: string };
}

/**
 * Runs a user's install or build command line. It is a shell line by nature, so
 * `shell: true`; it runs in its own process group so a cancel kills the whole tree
 * (npm, node-gyp, esbuild...) and not just the shell.
 */
export async function runCommand(options: RunCommandOptions): Promise<void> {
	const last = new LastLines(20);
	const child = execa(options.command, {
		shell: true,
		cwd: options.cwd,
		env: { ...baseEnv(), ...options.env },
		extendEnv: false,
		stdin: "ignore",
		detached: true,
		reject: false,
		stripFinalNewline: false,
		encoding: "buffer",
		buffer: false,
	});
	const onAbort = () => child.pid !== undefined && killGroup(child.pid, "SIGKILL");
	options.signal.addEventListener("abort", onAbort, { once: true });
	for (const stream of ["stdout", "stderr"] as const) {
		const splitter = lineSplitter((line) => {
			last.push(line);
			options.onLine(line, stream);
		});
		child[stream]?.on("data", (chunk: Buffer) => splitter.push(chunk));
		child[stream]?.on("end", () => splitter.flush());
	}
	const result = await child;
	options.signal.removeEventListener("abort", onAbort);
	if (options.signal.aborted) throw options.signal.reason;
	if (result.exitCode === 0) return;
	const how = result.exitCode !== undefined ? `exited with code ${result.exitCode}` : `was killed by ${result.signal ?? "a signal"}`;
	throw new DeployError(options.failure.code, `The ${options.failure.what} command \`${options.command}\` ${how}.`, options.failure.hint, last.get());
}
