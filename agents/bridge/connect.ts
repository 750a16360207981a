import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AgentHome } from "../home.js";
import { lastLines } from "../util/tail.js";
import { selfPath, selfVersion } from "../version.js";
import { BridgeError } from "./failure.js";
import { answers, callOnce, tryConnect, waitFor } from "./socket.js";
import { AGENT_UNIT, managedBySystemd, systemctl } from "../system/systemd.js";
import { DAEMON_NODE_ARGS } from "../system/memory-flags.js";
import { callerLineOf } from "../access/caller.js";
import { clientAgentVersion, memberMayConnect, READY_MARKER } from "./member-command.js";
import { pushedRepository, runMemberPush } from "../git/member-push.js";

const START_TIMEOUT_MS = 10_000;

/**
 * What the SSH exec channel (or the local provider's child) runs: makes sure a
 * daemon of this very version serves, then pipes stdin/stdout to its socket.
 * `start: false` (reads of the local preview): only a daemon already running is used.
 */
export async function runBridge(home: AgentHome, options: { start: boolean; member?: string | null } = { start: true }): Promise<void> {
	const member = options.member ?? null;
	// Issue 18: a member's `git push` (git-receive-pack on one of this agent's repositories), as that member.
	const pushed = member !== null ? pushedRepository(home, process.env.SSH_ORIGINAL_COMMAND) : null;
	if (member !== null && pushed !== null) {
		process.exitCode = await runMemberPush(pushed, member);
		return;
	}
	if (member !== null && !memberMayConnect(member)) return;
	if (!options.start && !(await answers(home.socket))) {
		throw new BridgeError("AGENT_NOT_RUNNING", "No agent daemon runs here, and this command does not start one.", "A command that changes something (a deploy) starts it.");
	}
	const installed = installedVersion();
	await ensureDaemon(home, installed);
	const socket = await tryConnect(home.socket);
	if (!socket) throw new BridgeError("AGENT_UNREACHABLE", "The agent daemon stopped right after it started.", `Read ${home.log}.`);
	// A member's client cannot upgrade this agent: the daemon is told when it brings another version.
	const brought = member === null ? undefined : clientAgentVersion();
	const clientAgent = brought && brought !== (installed ?? selfVersion()) ? brought : undefined;
	// The caller line goes first, before a byte of the client's: the daemon believes only a connection's first line.
	socket.write(callerLineOf(member, process.env.SSH_CLIENT, clientAgent));
	// A member's key runs this bridge instead of the client's connect script, which would have said `ready` itself.
	if (member !== null) process.stdout.write(`${READY_MARKER}\n`);
	process.stdin.pipe(socket);
	socket.pipe(process.stdout);
	socket.on("error", () => undefined);
	socket.on("close", () => process.stdout.write("", () => process.exit(0)));
}

/** `knownVersion`: this bundle's sha256 when the caller already checked it (the SSH connect line); hashed otherwise. */
export async function ensureDaemon(home: AgentHome, knownVersion?: string): Promise<void> {
	const version = knownVersion && /^[0-9a-f]{64}$/.test(knownVersion) ? knownVersion : selfVersion();
	if (await answers(home.socket)) {
		const hello = (await callOnce(home.socket, "hello", { client: "bridge" }).catch(() => null)) as { agentVersion?: string } | null;
		if (hello?.agentVersion === version) return;
		// Another version (an upgrade was uploaded): replace it. Its apps keep running.
		await callOnce(home.socket, "shutdown", {}).catch(() => undefined);
		const gone = await waitFor(async () => !(await answers(home.socket)), START_TIMEOUT_MS);
		if (!gone) throw new BridgeError("AGENT_UPGRADE_FAILED", "The running agent of another version did not stop.", "Kill the process in agent.pid and run the command again.");
	}
	await startDaemon(home);
}

/**
 * bin/agent.sha256 beside an installed agent: written only after the server checked
 * the upload, and compared with the client's sha by the shell line that started this
 * bridge, so the bridge need not hash its own 1.8 MB on every command. Absent (a
 * local dist/ build): undefined, and the bundle is hashed.
 */
function installedVersion(): string | undefined {
	try {
		return readFileSync(join(dirname(selfPath()), "agent.sha256"), "utf8").trim();
	} catch {
		return undefined;
	}
}

/**
 * Starts the daemon detached, in its own session, so it survives the SSH session
 * ending (and its SIGHUP); its output goes to agent.log.
 */
async function startDaemon(home: AgentHome): Promise<void> {
	if (managedBySystemd(home, AGENT_UNIT)) return startUnit(home);
	mkdirSync(home.root, { recursive: true, mode: 0o700 });
	const fd = openSync(home.log, "a");
	let exited: number | null = null;
	try {
		const child = spawn(process.execPath, [...process.execArgv, ...DAEMON_NODE_ARGS, selfPath(), "daemon"], { detached: true, stdio: ["ignore", fd, fd], env: process.env });
		child.on("exit", (code) => {
			exited = code ?? 1;
		});
		child.unref();
	} finally {
		closeSync(fd);
	}
	const up = await waitFor(async () => exited !== null || (await answers(home.socket)), START_TIMEOUT_MS);
	// A daemon that lost a start race to another one exits 0 while the other serves.
	if (up && (await answers(home.socket))) return;
	const tail = (await lastLines(home.log, 10)).lines;
	throw new BridgeError("AGENT_START_FAILED", exited !== null ? `The agent daemon exited with code ${exited} while starting.` : `The agent daemon did not start within ${START_TIMEOUT_MS / 1000} s.`, `Read ${home.log}.`, tail);
}

/** Issue 12: where systemd runs the agent's unit, the daemon is the unit's (restarted by systemd, started at boot). */
async function startUnit(home: AgentHome): Promise<void> {
	const started = await systemctl(["start", AGENT_UNIT]);
	if (started.ok && (await waitFor(() => answers(home.socket), START_TIMEOUT_MS))) return;
	const tail = (await lastLines(home.log, 10)).lines;
	throw new BridgeError("AGENT_START_FAILED", `systemd could not start ${AGENT_UNIT}${started.ok ? " in time" : `: ${started.output}`}.`, `Read \`journalctl -u ${AGENT_UNIT}\` and ${home.log} on the server.`, tail);
}
