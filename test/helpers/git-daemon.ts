// `git daemon` on 127.0.0.1 serving every bare repository under a folder: a forge the
// agent fetches from (git://127.0.0.1:<port>/<name>.git), the one thing tests cannot have.
import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort } from "./net.js";

export interface GitDaemon {
	/** git://127.0.0.1:<port>/<name> */
	url(name: string): string;
	/** The daemon's log (its `--verbose` lines): which repositories were fetched. */
	log(): string;
	stop(): void;
}

export async function startGitDaemon(basePath: string): Promise<GitDaemon> {
	const port = await freePort();
	const daemon: ChildProcess = spawn("git", ["daemon", "--export-all", `--base-path=${basePath}`, `--port=${port}`, "--listen=127.0.0.1", "--reuseaddr", "--verbose", basePath], { stdio: ["ignore", "ignore", "pipe"] });
	let log = "";
	daemon.stderr?.on("data", (chunk) => {
		log += chunk;
	});
	const deadline = Date.now() + 10_000;
	while (!log.includes("Ready to rumble")) {
		if (Date.now() > deadline || daemon.exitCode !== null) {
			daemon.kill();
			throw new Error(`git daemon did not start:\n${log}`);
		}
		await sleep(50);
	}
	return { url: (name) => `git://127.0.0.1:${port}/${name}`, log: () => log, stop: () => daemon.kill() };
}
