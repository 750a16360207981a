import { execa } from "execa";
import type { DeployError } from "../../core/protocol/index.js";
import { noteBuildGroup } from "../build/build-group.js";
import type { BuildLimits } from "../build/limits.js";
import { killGroup } from "../processes/proc.js";
import { baseEnv } from "../util/env.js";
import { LastLines, lineSplitter } from "../util/lines.js";

export interface RunCommandOptions {
	command: string;
	cwd: string;
	env: Record<string, string>;
	signal: AbortSignal;
	onLine: (line: string, stream: "stdout" | "stderr") => void;
	/** Issue 12: the app's Node.js runtime's bin folder, first on PATH (its node and npm). */
	nodeBin?: string | null;
	/** How the command runs under the build's memory and CPU limits; none: a plain shell. */
	limits?: BuildLimits;
	/** Issue 13: the app's user (agents/isolation): the argv before its shell, and HOME, USER over the env. */
	runAs?: { prefix: string[]; env: Record<string, string> };
	/** Issue 13: where its process group is noted while it runs, so a daemon restarted after a kill -9 ends it (agents/build/build-group.ts). */
	groupFile?: string;
	/** The error for a non-zero exit: code, message and hint from the exit and the last lines. */
	failure: (exit: { exitCode: number | undefined; signal: string | undefined; lastLines: string[] }) => DeployError;
}

/**
 * Runs a user's install or build command line (a shell line by nature). It runs in
 * its own process group so a cancel or a timeout kills the whole tree (npm,
 * node-gyp, esbuild...) and not just the shell. Output is streamed line by line and
 * never kept whole: only the last lines, for the error.
 */
export async function runCommand(options: RunCommandOptions): Promise<void> {
	const last = new LastLines(20);
	const env = { ...baseEnv(), ...options.env, ...options.runAs?.env };
	if (options.nodeBin) env.PATH = `${options.nodeBin}:${env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}`;
	const inner = [...(options.runAs?.prefix ?? []), "/bin/sh", "-c", options.command];
	const [file = "/bin/sh", ...args] = options.limits ? options.limits.argv(inner) : inner;
	const child = execa(file, args, {
		cwd: options.cwd,
		env: options.limits ? options.limits.env(env) : env,
		extendEnv: false,
		stdin: "ignore",
		detached: true,
		reject: false,
		stripFinalNewline: false,
		encoding: "buffer",
		buffer: false,
	});
	const forgetGroup = options.groupFile && child.pid !== undefined ? noteBuildGroup(options.groupFile, child.pid, (line) => options.onLine(line, "stderr")) : null;
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
	forgetGroup?.();
	options.signal.removeEventListener("abort", onAbort);
	if (options.signal.aborted) throw options.signal.reason;
	if (result.exitCode === 0) return;
	throw options.failure({ exitCode: result.exitCode, signal: result.signal, lastLines: last.get() });
}
