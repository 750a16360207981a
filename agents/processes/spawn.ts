import { spawn as spawnChild, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import type { LimitsSpec } from "../../core/protocol/scaling.js";
import { limitedArgv } from "../limits/launch.js";
import { openReleaseSecrets } from "../env/release-secrets.js";
import { processIsolation } from "../isolation/probe.js";
import { instanceEnv } from "../util/env.js";
import { processStartTime } from "./proc.js";

export interface Launch {
	/** The app it is of: it runs as the app's user (agents/isolation). */
	app: string;
	command: string;
	cwd: string;
	env: Record<string, string>;
	/** The release's `deploy env` values, sealed; opened here and nowhere else. */
	secrets?: string | undefined;
	port: number;
	logFile: string;
	/** How the app log names the instance on each of its lines (`web:41234`). */
	label?: string;
	/** Memory and CPU limits, applied as agents/limits/ decided for this server. */
	limits?: LimitsSpec | undefined;
	/** A name unique per instance (its cgroup's name where cgroups enforce the limits). */
	name?: string;
	/** Issue 12: the bin folder of the Node.js runtime it runs on, first on PATH. */
	nodeBin?: string | undefined;
}

/**
 * Starts one app instance in its own process group. Its output goes through a pipe to
 * a detached app-log writer, which stamps each line with the time and the instance:
 * neither process depends on the agent, so the app outlives it, and the writer never
 * leaves the app writing to a pipe nobody reads.
 */
export function spawnInstance(launch: Launch): { child: ChildProcess; pid: number; startTime: string | null } {
	// Before anything starts: a server that should isolate apps but cannot starts none.
	const runAs = processIsolation(launch.app);
	mkdirSync(dirname(launch.logFile), { recursive: true });
	const writer = spawnLogWriter(launch.logFile, launch.label ?? `app:${launch.port}`);
	const output = writer.stdin!;
	try {
		const [program, ...args] = limitedArgv(launch.command, launch.limits, launch.name ?? `port-${launch.port}`, runAs.prefix);
		// The values reach the app through its environment only: /proc/<pid>/environ is readable by its own user (and root), never in an argv.
		const child = spawnChild(program, args, {
			cwd: launch.cwd,
			env: { ...instanceEnv(launch.cwd, { ...launch.env, ...openReleaseSecrets(launch.secrets) }, launch.port, launch.nodeBin), ...runAs.env },
			detached: true,
			stdio: ["ignore", output, output],
		});
		child.unref();
		if (child.pid === undefined) throw new DeployError("START_FAILED", `Cannot start \`${launch.command}\`.`, "Check that /bin/sh exists on the server.");
		watchWriter(child.pid, writer);
		return { child, pid: child.pid, startTime: processStartTime(child.pid) };
	} finally {
		// The app holds the pipe's write end now; the agent keeps none.
		output.destroy();
	}
}

/** Per app pid: settles once its writer has written the last line and exited. */
const writersDone = new Map<number, Promise<void>>();

function watchWriter(pid: number, writer: ChildProcess): void {
	const done = new Promise<void>((resolve) => {
		writer.once("exit", () => resolve());
		writer.once("error", () => resolve());
	});
	writersDone.set(pid, done);
	void done.then(() => {
		if (writersDone.get(pid) === done) writersDone.delete(pid);
	});
}

/**
 * Waits (at most `timeoutMs`) until an instance that exited has its last lines in the
 * app log: its writer is another process, and a crash report reads the log's tail.
 */
export async function outputFlushed(pid: number, timeoutMs = 2_000): Promise<void> {
	const done = writersDone.get(pid);
	if (!done) return;
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
	clearTimeout(timer);
}

/**
 * The writer is a bash loop where bash exists (about 3 MB resident, no fork per line:
 * $EPOCHREALTIME and printf's %()T are builtins), so an instance does not cost a second
 * Node process (40-60 MB). Elsewhere (no bash, e.g. Alpine) the agent bundle's
 * `app-log` command does the same job. Both write agents/processes/app-log-line.ts's format.
 */
function spawnLogWriter(logFile: string, label: string) {
	const bash = existsSync("/bin/bash") ? "/bin/bash" : null;
	const writer = bash
		? spawnChild(bash, ["--norc", "--noprofile", "-c", BASH_APP_LOG_WRITER, "app-log", logFile, label], {
				detached: true,
				stdio: ["pipe", "ignore", "ignore"],
				// UTC for the ISO time, C for the "." in $EPOCHREALTIME.
				env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TZ: "UTC0", LC_ALL: "C" },
			})
		: spawnChild(process.execPath, [process.argv[1] ?? "agent.mjs", "app-log", logFile, label], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
	writer.unref();
	return writer;
}

// $1: the app log, $2: the instance label. Ignores the signals a stop sends and ends
// when every holder of the pipe has closed it, after the last (maybe unterminated) line.
// O_APPEND (>>) keeps the agent's copy-truncate rotation safe. Bash 4 has no
// $EPOCHREALTIME: it forks `date` per line instead.
const BASH_APP_LOG_WRITER = `trap '' TERM INT HUP
exec >>"$1" || exit 1
label=$2
while IFS= read -r line || [[ -n $line ]]; do
	now=\${EPOCHREALTIME:-$(date +%s.%N)}
	frac=\${now#*.}000
	printf '%(%Y-%m-%dT%H:%M:%S)T.%sZ %s %s\\n' "\${now%.*}" "\${frac:0:3}" "$label" "$line"
done`;
