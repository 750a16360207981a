import { spawn as spawnChild, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { instanceEnv } from "../util/env.js";
import { processStartTime } from "./proc.js";

export interface Launch {
	command: string;
	cwd: string;
	env: Record<string, string>;
	port: number;
	logFile: string;
}

/**
 * Starts one app instance in its own process group. Output goes to the app log
 * through file descriptors, not pipes: the app must outlive the agent, and a pipe
 * whose reader died would kill it with SIGPIPE.
 */
export function spawnInstance(launch: Launch): { child: ChildProcess; pid: number; startTime: string | null } {
	mkdirSync(dirname(launch.logFile), { recursive: true });
	const fd = openSync(launch.logFile, "a");
	try {
		const child = spawnChild("/bin/sh", ["-c", `exec ${launch.command}`], {
			cwd: launch.cwd,
			env: instanceEnv(launch.cwd, launch.env, launch.port),
			detached: true,
			stdio: ["ignore", fd, fd],
		});
		child.unref();
		if (child.pid === undefined) throw new DeployError("START_FAILED", `Cannot start \`${launch.command}\`.`, "Check that /bin/sh exists on the server.");
		return { child, pid: child.pid, startTime: processStartTime(child.pid) };
	} finally {
		closeSync(fd);
	}
}
