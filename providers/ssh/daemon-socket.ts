// The fastest way to the agent: when a daemon of the client's own version already
// serves, the RPC channel is its unix socket, forwarded by sshd (direct-streamlocal,
// what `ssh -L local:/path/agent.sock` uses). No bridge process starts on the server,
// which saves a Node start and the parse of the whole bundle on every command.
import type { Client, ClientChannel } from "ssh2";
import { openExec, readMarker } from "./exec.js";
import { socketCommand } from "./remote-scripts.js";

export interface DaemonSocket {
	/** The forwarded socket, or null: no daemon of this version serves, or sshd refuses forwarding (AllowStreamLocalForwarding no). */
	channel: ClientChannel | null;
	/** Bytes written towards the server for the check, whatever its outcome. */
	bytesSent: number;
}

export async function openDaemonSocket(client: Client, sha256: string, sudo = false): Promise<DaemonSocket> {
	const command = socketCommand(sha256, sudo);
	let bytesSent = Buffer.byteLength(command);
	const check = await openExec(client, command);
	const { marker } = await readMarker(check);
	check.resume();
	check.end();
	if (marker?.kind !== "socket") return { channel: null, bytesSent };
	bytesSent += Buffer.byteLength(marker.path);
	const channel = await new Promise<ClientChannel | null>((resolve) => {
		// A refusal (forwarding disabled, a stale socket nobody listens on) is not an error: the bridge takes over.
		client.openssh_forwardOutStreamLocal(marker.path, (error, stream) => resolve(error ? null : stream));
	});
	return { channel, bytesSent };
}
