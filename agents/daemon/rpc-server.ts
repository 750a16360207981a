import type { Socket } from "node:net";
import { type AgentMessage, clientMessage, DeployError, splitFrames } from "../../core/protocol/index.js";
import { markSeen } from "../access/guard.js";
import { type Caller, OWNER, parseCallerLine } from "../access/caller.js";
import { trackMemberConnection } from "../access/sessions.js";
import { IncomingObjects } from "../objects/incoming.js";
import type { Agent } from "./agent.js";
import { runCall } from "./dispatch.js";

/**
 * Serves the RPC on one client connection: NDJSON calls in (a call may be followed by
 * a binary part, core/protocol/frames.ts), events and one answer per call out. Every
 * call gets an AbortSignal that fires on its cancel message or when the connection
 * closes (the SSH session ended, the CLI was killed).
 */
export function serveConnection(socket: Socket, agent: Agent): void {
	const calls = new Map<number, AbortController>();
	const uploads = agent.store.leases.open();
	const incoming = new IncomingObjects(agent.store, uploads, agent.tuning.maxObjectBytes);
	const send = (message: AgentMessage, then?: () => void) => {
		if (socket.destroyed || !socket.writable) return then?.();
		socket.write(`${JSON.stringify(message)}\n`, () => then?.());
	};
	/** Issue 16: who is on the other end: the bridge's first line says (agents/access/caller.ts), else the server's owner. */
	let caller: Caller = OWNER;
	let firstLine = true;
	let admitted: Promise<unknown> = Promise.resolve();
	/** The call whose binary part is being read: dispatched once the part is whole, so calls still run in the order they came. */
	let awaitingPart: ((part: Buffer[]) => void) | null = null;
	socket.on(
		"data",
		splitFrames({
			line: receive,
			bytes: (part) => {
				const call = awaitingPart;
				awaitingPart = null;
				call?.(part);
			},
			tooLong: () => socket.destroy(),
		}),
	);
	socket.on("error", () => undefined);
	socket.on("close", () => {
		for (const controller of calls.values()) controller.abort(new DeployError("CANCELLED", "The client disconnected.", "Run the command again."));
		calls.clear();
		// The temp files of unfinished uploads go first: the lease keeps their ids from a collection meanwhile.
		void incoming.discard().finally(() => uploads.release());
	});

	/** One line: returns how many bytes of binary part follow it, or null when that cannot be known (the connection is then closed). */
	function receive(line: string): number | null {
		let json: unknown;
		try {
			json = JSON.parse(line);
		} catch {
			agent.log(`rpc: ignored a line that is not JSON: ${line.slice(0, 120)}`);
			return 0;
		}
		if (firstLine) {
			firstLine = false;
			const announced = parseCallerLine(json);
			if (announced) {
				caller = announced;
				if (announced.member) {
					const untrack = trackMemberConnection(announced.member, () => socket.destroy());
					socket.once("close", untrack);
					void markSeen(agent.home.root, announced.member).catch(() => undefined);
				}
				return 0;
			}
		}
		const parsed = clientMessage.safeParse(json);
		if (!parsed.success) {
			// A binary part of a length out of bounds: where the next line starts is unknown, so nothing more can be read.
			if (json && typeof json === "object" && "bytes" in json) {
				agent.log("rpc: closed a connection whose call announced a binary part that is not a valid length");
				socket.destroy();
				return null;
			}
			const id = (json as { id?: unknown })?.id;
			if (typeof id === "number") send({ id, error: { code: "RPC_PROTOCOL", message: "The message is not a valid call." } });
			return 0;
		}
		const message = parsed.data;
		if ("cancel" in message) {
			calls.get(message.id)?.abort(new DeployError("CANCELLED", "The operation was cancelled.", "Run the command again when you are ready."));
			return 0;
		}
		const { id, method, params, bytes } = message;
		if (bytes === undefined || bytes === 0) {
			void dispatch(id, method, params, bytes === undefined ? null : []);
			return 0;
		}
		awaitingPart = (part) => void dispatch(id, method, params, part);
		return bytes;
	}

	async function dispatch(id: number, method: string, rawParams: unknown, part: Buffer[] | null): Promise<void> {
		const controller = new AbortController();
		calls.set(id, controller);
		try {
			const { outcome, after } = await runCall(
				agent,
				{
					caller,
					signal: controller.signal,
					emit: (event) => send({ id, event }),
					uploads,
					incoming,
					binaryPart: part,
					// Checks finish in the order the calls came (they read files), so calls still start in that order (objects.write's chunks).
					ordered: (check) => {
						const admitting = admitted.then(check);
						admitted = admitting.catch(() => undefined);
						return admitting;
					},
				},
				method,
				rawParams,
			);
			send({ id, ...outcome } as AgentMessage, after);
		} finally {
			calls.delete(id);
		}
	}
}
