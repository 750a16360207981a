// Opens the one SSH connection of a command: TCP, host key check, login. Every way
// that can fail becomes a DeployError that says which of the three went wrong. With a
// jump host (ProxyJump), the same three steps run twice: to the jump host, then to the
// server through a channel of that first connection (ssh -J does the same).
import type { Duplex } from "node:stream";
import { Client } from "ssh2";
import { DeployError } from "../../core/protocol/errors.js";
import type { AuthPlan } from "./auth.js";
import { coalescingConnection } from "./coalescing-socket.js";
import { checkHostKey, fingerprintOf, type HostKeyPolicy } from "./host-key.js";

export interface ConnectRequest {
	/** The name the user knows the host by (an alias of their ssh config), for messages. */
	name?: string;
	/** Where to connect: an address or a host name. */
	host: string;
	port: number;
	user: string;
	auth: AuthPlan;
	hostKey: HostKeyPolicy;
	timeoutMs: number;
	/** Gives up at once (an early session nobody wants, see core/servers/early-session.ts). */
	signal?: AbortSignal;
	/** The jump host this connection goes through (one hop). */
	jump?: ConnectRequest;
}

export interface Connection {
	client: Client;
	hostKeyFingerprint: string;
}

export async function connectSsh(request: ConnectRequest): Promise<Connection> {
	if (!request.jump) return connectOnce(request);
	const hop = await connectOnce(request.jump);
	try {
		const connection = await connectOnce(request, await forwardThrough(hop.client, request, whereOf(request.jump)));
		// The jump host's connection lives exactly as long as the server's.
		connection.client.once("close", () => hop.client.end());
		return connection;
	} catch (error) {
		hop.client.end();
		throw error;
	}
}

/** `name (host:port)` for an alias, `host:port` for an address. */
function whereOf({ name, host, port }: ConnectRequest): string {
	return name && name !== host ? `${name} (${host}:${port})` : `${host}:${port}`;
}

/** A channel from the jump host to the server's SSH port: what the second login runs over. */
function forwardThrough(hop: Client, request: ConnectRequest, hopWhere: string): Promise<Duplex> {
	const failed = (why: string) =>
		new DeployError(
			"SSH_CONNECT_FAILED",
			`The jump host ${hopWhere} could not reach ${request.host}:${request.port}: ${why}.`,
			"The server's HostName and Port in your ssh config are reached from the jump host: check them, and that the jump host's sshd allows TCP forwarding.",
		);
	return new Promise((resolve, reject) => {
		// sshd on the jump host may try a silent address for minutes before it answers.
		const timer = setTimeout(() => reject(failed(`no answer within ${request.timeoutMs / 1000} s`)), request.timeoutMs);
		hop.forwardOut("127.0.0.1", 0, request.host, request.port, (error, stream) => {
			clearTimeout(timer);
			if (error) reject(failed(error.message));
			else resolve(stream);
		});
	});
}

function connectOnce(request: ConnectRequest, sock?: Duplex): Promise<Connection> {
	const { host, port, user } = request;
	const where = whereOf(request);
	const client = new Client();
	return new Promise<Connection>((resolve, reject) => {
		let fingerprint: string | null = null;
		let hostKeyError: unknown = null;
		let settled = false;
		let timer: NodeJS.Timeout | undefined;
		const fail = (error: unknown) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			client.destroy();
			reject(error);
		};
		// Our own timer, not ssh2's readyTimeout: it must stand still while a person
		// reads a fingerprint and decides.
		const arm = () => {
			timer = setTimeout(
				() => fail(new DeployError("SSH_CONNECT_FAILED", `Connecting to ${where} timed out after ${request.timeoutMs / 1000} s.`, "Check that the server is up and that a firewall lets SSH through.")),
				request.timeoutMs,
			);
		};

		client.on("ready", () => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve({ client, hostKeyFingerprint: fingerprint! });
		});
		client.on("error", (error: Error & { level?: string; code?: string }) => {
			// A failing ssh-agent is not fatal: ssh2 goes on with the next method.
			if (error.level === "agent") return;
			fail(hostKeyError ?? describeFailure(error, where, user, request.auth));
		});
		client.on("close", () => fail(hostKeyError ?? new DeployError("SSH_CONNECT_FAILED", `${where} closed the connection before login.`, "Check that the port is an SSH server's.")));

		arm();
		const abandon = () => fail(new DeployError("SSH_CONNECT_FAILED", `Connecting to ${where} was abandoned.`));
		if (request.signal?.aborted) return abandon();
		request.signal?.addEventListener("abort", abandon, { once: true });
		client.connect({
			sock: sock ?? coalescingConnection(host, port),
			username: user,
			readyTimeout: 0,
			keepaliveInterval: 15_000,
			authHandler: request.auth.methods,
			hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
				fingerprint = fingerprintOf(key);
				clearTimeout(timer);
				checkHostKey(where, key, request.hostKey).then(
					() => {
						if (settled) return;
						arm();
						verify(true);
					},
					(error) => {
						hostKeyError = error;
						verify(false);
						fail(error);
					},
				);
			},
		});
		// Nagle's algorithm holds each small SSH packet until the previous one is
		// acknowledged, and the server delays that ACK by up to 40 ms: every round trip
		// of the login and of each RPC waited for it (a login on loopback: 240 → 75 ms).
		// ssh2 creates its socket inside connect(), so this is the first moment it exists.
		client.setNoDelay(true);
	});
}

function describeFailure(error: Error & { level?: string; code?: string }, where: string, user: string, auth: AuthPlan): DeployError {
	if (error.level === "client-authentication") {
		return new DeployError(
			"SSH_AUTH_FAILED",
			`${where} refused to log in ${user} with ${auth.offered.join(", ")}.`,
			`Check the user name, and that the matching public key is in ~${user}/.ssh/authorized_keys on the server (ssh-copy-id installs it).`,
		);
	}
	switch (error.code) {
		case "ECONNREFUSED":
			return new DeployError("SSH_CONNECT_FAILED", `${where} refused the connection.`, "Check that sshd runs on the server and that the port is right.");
		case "ENOTFOUND":
		case "EAI_AGAIN":
			return new DeployError("SSH_CONNECT_FAILED", `The host name of ${where} does not resolve.`, "Check the server's address for typos, use its IP address, or give it a Host entry with a HostName in ~/.ssh/config.");
		case "ETIMEDOUT":
		case "EHOSTUNREACH":
		case "ENETUNREACH":
			return new DeployError("SSH_CONNECT_FAILED", `${where} cannot be reached (${error.code}).`, "Check that the server is up and that a firewall lets SSH through.");
	}
	return new DeployError("SSH_CONNECT_FAILED", `The SSH connection to ${where} failed: ${error.message}`, "Check that the address and port are an SSH server's.");
}
