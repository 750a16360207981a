import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/deploy", import.meta.url));

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
	/** stdout parsed as JSON lines (with --json). */
	lines: Record<string, unknown>[];
	/** The last JSON line: the result, or the error envelope. */
	last: Record<string, unknown>;
}

/** Runs the built CLI the way a user does: bin/deploy, a working directory, an environment; `input` is piped to its stdin (else it is closed at once). */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, ...args], {
			cwd: options.cwd ?? repoRoot,
			env: { ...process.env, ...options.env },
			stdio: ["pipe", "pipe", "pipe"],
		});
		// A command that ends without reading its stdin makes the write fail (EPIPE): not the test's concern.
		child.stdin.on("error", () => undefined);
		child.stdin.end(options.input);
		let stdout = "";
		let stderr = "";
		// Decoded as streams: a chunk may end inside a multi-byte character.
		child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
		child.on("error", reject);
		child.on("close", (code) => {
			const lines = stdout
				.split("\n")
				.filter((line) => line.startsWith("{") || line.startsWith("["))
				.map((line) => JSON.parse(line) as Record<string, unknown>);
			resolve({ code: code ?? -1, stdout, stderr, lines, last: lines.at(-1) ?? {} });
		});
	});
}
