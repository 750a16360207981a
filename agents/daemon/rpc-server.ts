import type { Socket } from "node:net";
import { type AgentMessage, clientMessage, DeployError, type MethodName, methods, splitFrames, takesBinaryPart, toErrorInfo } from "../../core/protocol/index.js";
import type { Call, Handler } from "../handlers/call.js";
import { handlers } from "../handlers/index.js";
import { type Admitted, admit, markSeen } from "../access/guard.js";
import { type Caller, OWNER, parseCallerLine } from "../access/caller.js";
import { versionMismatch } from "../access/version-mismatch.js";
import { eventShown, filterResult } from "../access/filter.js";
import { trackMemberConnection } from "../access/sessions.js";
import { IncomingObjects } from "../objects/incoming.js";
import type { Agent } from "./agent.js";

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
		if (!Object.hasOwn(handlers, method)) {
			const mismatch = versionMismatch(caller, agent.version, `it does not know the call ${method}`);
			if (mismatch) return send({ id, error: toErrorInfo(mismatch) });
			send({ id, error: { code: "UNKNOWN_METHOD", message: `This agent does not know the method "${method}".`, hint: "Upgrade the agent: run the command again with the current client." } });
			return;
		}
		const name = method as MethodName;
		if (takesBinaryPart(name) !== (part !== null)) {
			const why = part ? "takes no binary part" : "takes its data as a binary part after its line";
			send({ id, error: { code: "INVALID_PARAMS", message: `Invalid call of ${method}: it ${why}.` } });
			return;
		}
		const params = methods[name].params.safeParse(rawParams);
		if (!params.success) {
			const issue = params.error.issues[0];
			const where = issue?.path.length ? `${issue.path.join("/")}: ` : "";
			const mismatch = versionMismatch(caller, agent.version, `it reads the parameters of ${method} otherwise (${where}${issue?.message ?? "invalid"})`);
			if (mismatch) return send({ id, error: toErrorInfo(mismatch) });
			send({ id, error: { code: "INVALID_PARAMS", message: `Invalid parameters for ${method}: ${where}${issue?.message ?? "invalid"}` } });
			return;
		}
		// Issue 16: the one access check, before any handler runs; a refusal is audited and changes nothing.
		// Checks finish in the order the calls came (they read files), so calls still start in that order (objects.write's chunks).
		let access: Admitted;
		const admitting = admitted.then(() => admit(agent.home, caller, name, params.data as Record<string, unknown>));
		admitted = admitting.catch(() => undefined);
		try {
			access = await admitting;
		} catch (error) {
			send({ id, error: toErrorInfo(error) });
			return;
		}
		const member = access.memberships !== null;
		const controller = new AbortController();
		calls.set(id, controller);
		const after: (() => void)[] = [];
		const call: Call = {
			agent,
			signal: controller.signal,
			emit: (event) => {
				if (!member || eventShown(event, access.visible)) send({ id, event });
			},
			afterReply: (fn) => after.push(fn),
			uploads,
			incoming,
			binaryPart: part,
			access: { caller, memberships: access.memberships, visible: access.visible },
		};
		const handler = handlers[name] as Handler<MethodName>;
		const runAfter = () => {
			for (const fn of after) fn();
		};
		try {
			await agent.ready;
			const result = await handler(params.data as never, call);
			await access.finish("ok").catch((error) => agent.log(`audit: ${String(error)}`));
			send({ id, result: member ? filterResult(result, access.visible) : result }, runAfter);
		} catch (error) {
			if (!(error instanceof DeployError)) agent.log(`rpc: ${method} failed: ${(error as Error)?.stack ?? String(error)}`);
			await access.finish(toErrorInfo(error).code).catch((failure) => agent.log(`audit: ${String(failure)}`));
			send({ id, error: toErrorInfo(error) }, runAfter);
		} finally {
			calls.delete(id);
		}
	}
}
