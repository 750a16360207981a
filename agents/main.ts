// The server agent: one file (dist/agent.mjs, bin/agent.mjs on a server), three commands.
import { toErrorInfo } from "../core/protocol/index.js";
import { runBridge } from "./bridge/connect.js";
import { runDaemon } from "./daemon/daemon.js";
import { resolveHome } from "./home.js";
import { selfVersion } from "./version.js";

const USAGE = "usage: node agent.mjs <connect|daemon|version|detect [dir]|serve-static <dir> [--spa]>";

async function main(command: string | undefined): Promise<void> {
	switch (command) {
		case "connect":
			return runBridge(resolveHome());
		case "daemon":
			return runDaemon(resolveHome());
		case "detect": {
			// Loaded on demand: neither the bridge nor the daemon pays for them at start.
			const { runDetect } = await import("./detect/command.js");
			return runDetect(process.argv[3]);
		}
		case "serve-static": {
			const { runServeStatic } = await import("./static/server.js");
			return runServeStatic(process.argv.slice(3));
		}
		case "version":
			process.stdout.write(`${selfVersion()}\n`);
			return;
		default:
			process.stderr.write(`${USAGE}\n`);
			process.exitCode = 2;
	}
}

main(process.argv[2]).catch((error: unknown) => {
	// The bridge's stdout is the RPC stream: a failure goes to stderr, which SSH shows the client.
	const info = toErrorInfo(error);
	process.stderr.write(`deploy-agent: ${info.code}: ${info.message}${info.hint ? `\n${info.hint}` : ""}${info.details?.length ? `\n${info.details.join("\n")}` : ""}\n`);
	process.exit(1);
});
