import { connect, type Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createInterface } from "node:readline";
import { BridgeError } from "./failure.js";

/** Connects to the daemon's socket; null when nobody listens there (absent or refused). */
export function tryConnect(path: string): Promise<Socket | null> {
	return new Promise((resolve) => {
		const socket = connect(path);
		socket.once("connect", () => {
			socket.removeAllListeners("error");
			resolve(socket);
		});
		socket.once("error", () => resolve(null));
	});
}

/** One call on a fresh connection, for the bridge's own questions (version, shutdown). */
export function callOnce(path: string, method: string, params: unknown, timeoutMs = 5_000): Promise<unknown> {
	return new Promise((resolve, reject) => {
		void tryConnect(path).then((socket) => {
			if (!socket) return reject(new BridgeError("AGENT_UNREACHABLE", "The agent daemon is not listening."));
			const timer = setTimeout(() => {
				socket.destroy();
				reject(new BridgeError("AGENT_UNRESPONSIVE", `The agent daemon did not answer ${method} within ${timeoutMs} ms.`, "Kill the process in agent.pid and run the command again."));
			}, timeoutMs);
			createInterface({ input: socket }).on("line", (line) => {
				let message: { id?: number; result?: unknown; error?: { message: string } };
				try {
					message = JSON.parse(line);
				} catch {
					return;
				}
				if (message.id !== 1 || !("result" in message || "error" in message)) return;
				clearTimeout(timer);
				socket.destroy();
				if (message.error) reject(new BridgeError("AGENT_ERROR", message.error.message));
				else resolve(message.result);
			});
			socket.on("error", () => undefined);
			socket.on("close", () => {
				clearTimeout(timer);
				reject(new BridgeError("AGENT_DISCONNECTED", `The agent daemon closed the connection during ${method}.`));
			});
			socket.write(`${JSON.stringify({ id: 1, method, params })}\n`);
		});
	});
}

/** Polls until `check` is true or the time is up. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
	for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
		if (await check()) return true;
	}
	return check();
}

export async function answers(path: string): Promise<boolean> {
	const socket = await tryConnect(path);
	socket?.destroy();
	return socket !== null;
}
