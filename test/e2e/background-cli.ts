// The built CLI running in the background, for tests that act while it runs: wait
// until it prints something, kill it mid-way, then read how it ended.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { CliRun } from "../helpers/cli.js";

const bin = fileURLToPath(new URL("../../bin/deploy", import.meta.url));

export interface BackgroundCli {
	/** Resolves when stdout or stderr matches; rejects if the CLI ends first. */
	waitFor(pattern: RegExp): Promise<void>;
	kill(signal: NodeJS.Signals): void;
	done: Promise<CliRun>;
}

export function startCli(args: string[], options: { cwd: string; env: Record<string, string> }): BackgroundCli {
	const child: ChildProcess = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
	let stdout = "";
	let stderr = "";
	let ended: string | null = null;
	const watchers: { pattern: RegExp; resolve: () => void; reject: (error: Error) => void }[] = [];
	const check = () => {
		for (const watcher of [...watchers]) {
			if (watcher.pattern.test(stdout) || watcher.pattern.test(stderr)) {
				watchers.splice(watchers.indexOf(watcher), 1);
				watcher.resolve();
			}
		}
	};
	child.stdout?.on("data", (chunk) => {
		stdout += chunk;
		check();
	});
	child.stderr?.on("data", (chunk) => {
		stderr += chunk;
		check();
	});
	const done = new Promise<CliRun>((resolve, reject) => {
		child.on("error", reject);
		child.on("close", (code, signal) => {
			ended = String(code ?? signal);
			for (const watcher of watchers.splice(0)) watcher.reject(new Error(`the CLI ended (${code ?? signal}) before printing ${watcher.pattern}:\n${stdout}\n${stderr}`));
			const lines = stdout
				.split("\n")
				.filter((line) => line.startsWith("{") || line.startsWith("["))
				.map((line) => JSON.parse(line) as Record<string, unknown>);
			resolve({ code: code ?? -1, stdout, stderr, lines, last: lines.at(-1) ?? {} });
		});
	});
	return {
		waitFor: (pattern) =>
			new Promise((resolve, reject) => {
				watchers.push({ pattern, resolve, reject });
				check();
				if (ended !== null && watchers.some((w) => w.pattern === pattern)) {
					watchers.splice(watchers.findIndex((w) => w.pattern === pattern), 1);
					reject(new Error(`the CLI had ended (${ended}) without printing ${pattern}`));
				}
			}),
		kill: (signal) => child.kill(signal),
		done,
	};
}
