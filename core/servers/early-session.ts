// A command's SSH session, opened before the command has worked out that it needs it.
// Most of a short command's time is the CLI loading its code (zod, the config, the
// store) and the SSH login waiting on the network: one after the other, they add up;
// started together, the login's round trips hide behind the loading. The CLI guesses
// the server from what is cheap to know (cli/early-connect.ts) and starts the session
// at once, in a worker thread when it has one; openServerSession adopts it when the command resolves
// the same server, and a guess that turns out wrong is closed unused. Until adopted,
// the session only logs in and looks for the daemon's socket: a command that then
// fails on bad input has changed nothing on the server.
import type { ServerInfo } from "../api/types.js";
import type { AgentSession, EarlySshSession, Providers, SshWorker } from "../provider.js";
import type { DeployEvent } from "../protocol/index.js";
import { sshTarget, sshOptions } from "./ssh-target.js";

interface Early {
	server: ServerInfo;
	starting: Promise<EarlySshSession>;
	adopted: boolean;
}

let early: Early | null = null;

/**
 * Starts a session to `server`, for a command that will most likely ask for it (in
 * `worker` when given). Resolves once its connection is under way, not when it is open.
 */
export async function openEarly(providers: Providers, server: ServerInfo, options: { worker?: SshWorker } = {}): Promise<void> {
	if (early) return;
	const starting = providers.ssh().then((ssh) => ssh.openSshSessionEarly(sshTarget(server), { ...sshOptions(), ...options }));
	starting.catch(() => undefined);
	early = { server, starting, adopted: false };
	await starting;
}

/**
 * The early session, when it was started to this very server (same address, user,
 * key and pinned host key), handed over once, its events so far replayed to
 * `onEvent`. Null otherwise: the caller connects as usual.
 */
export function adoptEarly(server: ServerInfo, onEvent: ((event: DeployEvent) => void) | undefined): Promise<AgentSession> | null {
	if (!early || early.adopted || !sameTarget(early.server, server)) return null;
	early.adopted = true;
	return early.starting.then(async (handle) => (await handle.adopt(onEvent)).session);
}

/** Closes an early session nobody adopted, so that the process can exit. */
export async function closeUnadoptedEarly(): Promise<void> {
	const unused = early && !early.adopted ? early : null;
	early = null;
	const handle = await unused?.starting.catch(() => null);
	await handle?.close();
}

function sameTarget(a: ServerInfo, b: ServerInfo): boolean {
	return a.name === b.name && a.host === b.host && a.port === b.port && a.user === b.user && a.identityFile === b.identityFile && a.hostKeyFingerprint === b.hostKeyFingerprint && a.privilege === b.privilege;
}
