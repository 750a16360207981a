// The server agent: one file (dist/agent.mjs, bin/agent.mjs on a server), three commands.
// Every command is a dynamic import: esbuild turns each into a lazily-initialized part
// of the one file, so the bridge (started by every SSH command) evaluates only its own
// few modules, and the daemon only what it serves with, not zod schemas, detection or
// handlers it has not needed yet.
import { resolveHome } from "./home.js";

const USAGE = "usage: node agent.mjs <connect [--no-start|--member <id>]|daemon|stop|system <install|purge|undo>|version|detect [dir] [--root <package>]|serve-static <dir> [--spa]|upstream-dns <proxy dir>|git-hook <app>>";

// What the agent creates is its own alone (state, sources, logs, certificates): a
// system install lets a sudo login through its home to the socket and nothing else
// (agents/system/home-access.ts). Only the Node.js releases in runtimes/ keep their
// published modes, behind a runtimes/ folder that is the agent's (issue 13).
process.umask(0o077);

async function main(command: string | undefined): Promise<void> {
	switch (command) {
		case "connect": {
			const { runBridge } = await import("./bridge/connect.js");
			// --no-start: a read (`deploy ls -s local`) must not leave a daemon behind (issue 14).
			// --member <id>: the forced command of a team member's key (issue 16, agents/access/caller.ts).
			const member = process.argv[3] === "--member" ? (process.argv[4] ?? "") : null;
			return runBridge(resolveHome(), { start: process.argv[3] !== "--no-start", member });
		}
		case "daemon": {
			// Before the daemon's modules load, so they are compiled under these flags.
			(await import("./system/memory-flags.js")).lowerMemory();
			const { runDaemon } = await import("./daemon/daemon.js");
			return runDaemon(resolveHome());
		}
		case "stop": {
			// `deploy preview --stop`: the daemon and every app of this home (issue 14).
			const { runStop } = await import("./system/stop-all.js");
			return runStop(resolveHome());
		}
		case "system": {
			// Issue 12: the machine-wide part of `servers add`, `upgrade` and `rm --purge`, run as root.
			const { runSystem } = await import("./system/command.js");
			return runSystem(resolveHome(), process.argv.slice(3));
		}
		case "detect": {
			// Loaded on demand: neither the bridge nor the daemon pays for them at start.
			const { runDetect } = await import("./detect/command.js");
			const [dir, flag, root] = process.argv.slice(3);
			return runDetect(dir, flag === "--root" ? root : undefined);
		}
		case "serve-static": {
			const { runServeStatic } = await import("./static/server.js");
			return runServeStatic(process.argv.slice(3));
		}
		case "upstream-dns": {
			// Caddy's resolver, beside the proxy (agents/proxy/caddy/upstream-dns/responder.ts).
			const { runUpstreamDns } = await import("./proxy/caddy/upstream-dns/responder.js");
			return runUpstreamDns(process.argv.slice(3));
		}
		case "git-hook": {
			// Issue 18: the pre-receive hook of an app's repository (agents/git/repository.ts writes it).
			const { runGitHook } = await import("./git/hook.js");
			return runGitHook(resolveHome(), process.argv[3] ?? "");
		}
		case "app-log": {
			const { runAppLogWriter } = await import("./processes/app-log-writer.js");
			return runAppLogWriter(process.argv.slice(3));
		}
		case "version": {
			const { selfVersion } = await import("./version.js");
			process.stdout.write(`${selfVersion()}\n`);
			return;
		}
		default:
			process.stderr.write(`${USAGE}\n`);
			process.exitCode = 2;
	}
}

main(process.argv[2]).catch(async (error: unknown) => {
	// The bridge's stdout is the RPC stream: a failure goes to stderr, which SSH shows the client.
	// DeployError and the bridge's BridgeError carry the same fields; anything else is a bug.
	const known = error as { code?: unknown; message?: string; hint?: string; details?: string[] };
	const info = typeof known?.code === "string" ? { code: known.code, message: known.message ?? "", hint: known.hint, details: known.details } : { code: "INTERNAL", message: error instanceof Error ? error.message : String(error), hint: undefined, details: undefined };
	process.stderr.write(`deploy-agent: ${info.code}: ${info.message}${info.hint ? `\n${info.hint}` : ""}${info.details?.length ? `\n${info.details.join("\n")}` : ""}\n`);
	process.exit(1);
});
