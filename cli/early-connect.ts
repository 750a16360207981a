// Starts the SSH session of a command that will talk to a server before commander,
// zod and the command's own code load, so the login's round trips overlap with that
// loading (core/servers/early-session.ts says why it is safe). Reads only argv, the
// `server:` line of ./deploy.yaml and the store; a guess it cannot make cheaply is not made.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Commands that never connect to a server over SSH (or do it their own way: `servers add`, `doctor`). */
const NO_SESSION = new Set(["preview", "init", "servers", "ui", "help", "doctor"]);

/** `workerModule`: the SSH worker thread's module, when the CLI is built (dist/cli/ssh-worker.js); else the session opens in this thread. */
export async function connectEarly(argv: string[], workerModule?: URL): Promise<void> {
	// Issue 17: `--api URL` deploys over HTTPS: no SSH session to start.
	if (argv.some((arg) => arg === "-h" || arg === "--help" || arg === "--api" || arg.startsWith("--api="))) return;
	const command = argv[0]?.startsWith("-") === false ? argv[0] : undefined;
	if (command && NO_SESSION.has(command)) return;
	const named = serverOption(argv);
	if (named === "local") return;
	// The worker thread first: it starts and loads ssh2 on the other core while this thread looks for the server.
	const worker = workerModule && existsSync(workerModule) ? (await import("../providers/ssh/worker-session.js")).startSshWorker(workerModule) : undefined;
	const server = await guessServer(named).catch(() => undefined);
	if (!server) {
		await worker?.discard();
		return;
	}
	const [{ openEarly }, { providers }] = await Promise.all([import("../core/servers/early-session.js"), import("./providers.js")]);
	await openEarly(providers, server, worker ? { worker } : {});
}

/**
 * The server the command will most likely resolve: --server, else deploy.yaml's
 * `server:` (read with a regular expression, not parsed), else the one this folder
 * last deployed to, else the only one there is. None without a store: opening it
 * would create it.
 */
async function guessServer(named: string | undefined) {
	const { databasePath } = await import("../core/paths.js");
	const path = databasePath();
	if (!existsSync(path)) return undefined;
	const { readServersQuickly } = await import("../core/store/servers-quick.js");
	const dir = process.cwd();
	const known = readServersQuickly(path, dir);
	if (!known) return undefined;
	const name = named ?? (await configuredServer(dir)) ?? known.remembered ?? (known.servers.length === 1 ? known.servers[0]!.name : undefined);
	return known.servers.find((s) => s.name === name);
}

/** A top-level `server: name` line of ./deploy.yaml. */
async function configuredServer(dir: string): Promise<string | undefined> {
	const text = await readFile(join(dir, "deploy.yaml"), "utf8").catch(() => "");
	return /^server:[ \t]*["']?([A-Za-z0-9._-]+)["']?[ \t]*(?:#.*)?$/m.exec(text)?.[1];
}

/** The value of -s/--server, wherever it is (`-s x`, `--server x`, `--server=x`). */
function serverOption(argv: string[]): string | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === "-s" || arg === "--server") return argv[i + 1];
		if (arg.startsWith("--server=")) return arg.slice("--server=".length);
	}
	return undefined;
}
