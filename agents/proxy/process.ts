import { spawn } from "node:child_process";
import { constants, readFileSync } from "node:fs";
import { access, open, readdir, readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { killGroup } from "../processes/proc.js";

/** The executable's full path when `name` is on PATH (read at call time), else undefined. */
export async function findOnPath(name: string, path = process.env.PATH ?? ""): Promise<string | undefined> {
	for (const folder of path.split(delimiter)) {
		if (!folder) continue;
		const candidate = join(folder, name);
		try {
			await access(candidate, constants.X_OK);
			return candidate;
		} catch {}
	}
	return undefined;
}

/**
 * Starts a long-lived proxy in its own session, output appended to `logFile`, so it
 * outlives the agent and the SSH session that started it. node:child_process rather
 * than execa: execa's promise would reject inside the agent whenever the proxy exits
 * later, and nothing here waits for it. `env` adds variables (Traefik's LEGO_CA_CERTIFICATES).
 */
export async function spawnDetached(command: string, args: string[], logFile: string, cwd: string, env: Record<string, string> = {}): Promise<number> {
	const log = await open(logFile, "a");
	try {
		const child = spawn(command, args, { cwd, detached: true, stdio: ["ignore", log.fd, log.fd], env: { ...process.env, ...env } });
		await new Promise<void>((resolve, reject) => {
			child.once("spawn", resolve);
			child.once("error", reject);
		});
		child.unref();
		return child.pid!;
	} finally {
		await log.close();
	}
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
	return !isZombie(pid);
}

/** An exited child its parent has not reaped yet still answers kill(0); on Linux /proc tells. */
function isZombie(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
	} catch {
		return false;
	}
}

/** A pid from a pid file still names our proxy (not a recycled pid) when its command line mentions `name`. */
export async function isRunningAs(pid: number, name: string): Promise<boolean> {
	if (!isAlive(pid)) return false;
	try {
		const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
		// A process in the middle of exiting has already lost its command line but is
		// not a zombie yet: it is still ours, and still going.
		return cmdline === "" || cmdline.includes(name);
	} catch {
		return true; // no /proc (macOS): being alive is the best evidence there is
	}
}

export async function readPid(file: string): Promise<number | undefined> {
	try {
		const pid = Number.parseInt(await readFile(file, "utf8"), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`; resolves once it is gone. */
export async function terminate(pid: number, graceMs = 5000): Promise<void> {
	if (!isAlive(pid)) return;
	// The proxy runs in a session of its own (spawned detached, or by its unit): its whole group goes.
	killGroup(pid, "SIGTERM");
	if (await waitFor(() => !isAlive(pid), graceMs)) return;
	killGroup(pid, "SIGKILL");
	await waitFor(() => !isAlive(pid), graceMs);
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return true;
		if (Date.now() >= deadline) return false;
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/** The last lines of a proxy's log, for an error a person can act on. */
export async function logTail(file: string, lines = 15): Promise<string[]> {
	try {
		return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines);
	} catch {
		return [];
	}
}

/**
 * Pids of processes whose command line holds `binary` and then exactly `args` (an
 * interpreter may come first, as for a script). Our args name files in the agent's
 * home, so no other program's process matches. Empty where there is no /proc.
 */
export async function launchedAs({ binary, args }: { binary: string; args: readonly string[] }): Promise<number[]> {
	const found: number[] = [];
	for (const entry of await readdir("/proc").catch(() => [] as string[])) {
		const pid = Number(entry);
		if (!Number.isInteger(pid) || pid === process.pid) continue;
		const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0").slice(0, -1);
		const at = argv.indexOf(binary);
		if (at !== -1 && args.every((arg, i) => argv[at + 1 + i] === arg) && isAlive(pid)) found.push(pid);
	}
	return found;
}
