// Opens terminals for the transports (`deploy ui`'s WebSocket, Electron's IPC). The
// front end hands in the SSH backend, as it hands core its providers: core defines
// what it needs and never imports providers/.
import type { SshTarget } from "../provider.js";
import { DeployError } from "../protocol/index.js";
import { type TerminalOpenRequest, type TerminalSize, terminalOpenRequest } from "./contract.js";
import { openLocalShell } from "./local.js";
import type { TerminalSession, TerminalSink } from "./session.js";
import { sshTarget } from "../servers/ssh-target.js";

export type * from "./contract.js";
export type { TerminalSession, TerminalSink } from "./session.js";

export interface TerminalBackends {
	ssh(): Promise<{ openSshShell(target: SshTarget, options: { size: TerminalSize }, sink: TerminalSink): Promise<TerminalSession> }>;
}

export interface Terminals {
	/** Validates the request (BAD_ARGUMENT), then starts the shell; output goes to `sink`. */
	open(request: unknown, sink: TerminalSink): Promise<TerminalSession>;
}

export function createTerminals(backends: TerminalBackends): Terminals {
	return {
		async open(input, sink) {
			const request = parseOpenRequest(input);
			const size = { cols: request.cols, rows: request.rows };
			if (request.target.kind === "local") return openLocalShell(size, sink);
			const target = await serverTarget(request.target.server);
			return (await backends.ssh()).openSshShell(target, { size }, sink);
		},
	};
}

function parseOpenRequest(input: unknown): TerminalOpenRequest {
	const parsed = terminalOpenRequest.safeParse(input);
	if (parsed.success) return parsed.data;
	const problems = parsed.error.issues.map((issue) => `${issue.path.join("/") || "input"}: ${issue.message}`);
	throw new DeployError("BAD_ARGUMENT", `terminal: ${problems[0]}`, "Send { target: { kind: 'local' } | { kind: 'server', server }, cols, rows }.", problems);
}

/** A known server, with its pinned host key: a terminal never trusts a new one. */
async function serverTarget(name: string): Promise<SshTarget> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const server = await store.servers.get(name);
		if (!server) throw new DeployError("SERVER_UNKNOWN", `There is no server named "${name}".`, "Add it in the Servers view (or deploy servers add).");
		return sshTarget(server);
	} finally {
		await store.close();
	}
}
