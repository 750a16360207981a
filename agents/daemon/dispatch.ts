import { DeployError, type DeployEvent, type ErrorInfo, type MethodName, methods, takesBinaryPart, toErrorInfo } from "../../core/protocol/index.js";
import type { Admitted } from "../access/guard.js";
import { admit } from "../access/guard.js";
import type { Caller } from "../access/caller.js";
import { eventShown, filterResult } from "../access/filter.js";
import { versionMismatch } from "../access/version-mismatch.js";
import type { Call, Handler } from "../handlers/call.js";
import { handlers } from "../handlers/index.js";
import type { ChunkSink } from "../objects/incoming.js";
import { UploadsAcrossRequests } from "../objects/uploads-across-requests.js";
import type { ApiRequestDeps } from "../api/http-handler.js";
import type { Lease } from "../objects/leases.js";
import type { Agent } from "./agent.js";

/** A call's answer: the result, or the error envelope. */
export type CallOutcome = { result: unknown } | { error: ErrorInfo };

/** What a transport (the socket's RPC, the HTTPS API) gives one call. */
export interface CallChannel {
	caller: Caller;
	signal: AbortSignal;
	emit(event: DeployEvent): void;
	uploads: Lease;
	incoming: ChunkSink;
	/** The bytes after the call's line, for objects.write; null for every other call. */
	binaryPart: Buffer[] | null;
	/** Runs the access check in the order the transport wants (the socket: the order calls came); default: at once. */
	ordered?: (check: () => Promise<Admitted>) => Promise<Admitted>;
}

/**
 * One call, whatever the transport: the method must exist, its params are validated by
 * core/protocol/methods.ts's schema (once, here), the caller is admitted (issue 16's
 * guard: a refusal is audited and changes nothing), then its handler runs and a
 * member's answer and events are cut to the apps they may see. `after` runs once the
 * answer is written (shutdown exits only then).
 */
export async function runCall(agent: Agent, channel: CallChannel, method: string, rawParams: unknown): Promise<{ outcome: CallOutcome; after: () => void }> {
	const nothing = () => undefined;
	if (!Object.hasOwn(handlers, method)) {
		// Issue 16: a member's client of another version is told so, not to upgrade an agent its key cannot.
		const mismatch = versionMismatch(channel.caller, agent.version, `it does not know the call ${method}`);
		if (mismatch) return { outcome: { error: toErrorInfo(mismatch) }, after: nothing };
		return { outcome: { error: { code: "UNKNOWN_METHOD", message: `This agent does not know the method "${method}".`, hint: "Upgrade the agent: run the command again with the current client." } }, after: nothing };
	}
	const name = method as MethodName;
	if (takesBinaryPart(name) !== (channel.binaryPart !== null)) {
		const why = channel.binaryPart ? "takes no binary part" : "takes its data as a binary part after its line";
		return { outcome: { error: { code: "INVALID_PARAMS", message: `Invalid call of ${method}: it ${why}.` } }, after: nothing };
	}
	const params = methods[name].params.safeParse(rawParams);
	if (!params.success) {
		const issue = params.error.issues[0];
		const where = issue?.path.length ? `${issue.path.join("/")}: ` : "";
		const mismatch = versionMismatch(channel.caller, agent.version, `it reads the parameters of ${method} otherwise (${where}${issue?.message ?? "invalid"})`);
		if (mismatch) return { outcome: { error: toErrorInfo(mismatch) }, after: nothing };
		return { outcome: { error: { code: "INVALID_PARAMS", message: `Invalid parameters for ${method}: ${where}${issue?.message ?? "invalid"}` } }, after: nothing };
	}
	// Issue 16: the one access check, before any handler runs; a refusal is audited and changes nothing.
	let access: Admitted;
	try {
		const check = () => admit(agent.home, channel.caller, name, params.data as Record<string, unknown>);
		access = await (channel.ordered ? channel.ordered(check) : check());
	} catch (error) {
		return { outcome: { error: toErrorInfo(error) }, after: nothing };
	}
	const member = access.memberships !== null;
	const after: (() => void)[] = [];
	const call: Call = {
		agent,
		signal: channel.signal,
		emit: (event) => {
			if (!member || eventShown(event, access.visible)) channel.emit(event);
		},
		afterReply: (fn) => after.push(fn),
		uploads: channel.uploads,
		incoming: channel.incoming,
		binaryPart: channel.binaryPart,
		access: { caller: channel.caller, memberships: access.memberships, visible: access.visible },
	};
	const runAfter = () => {
		for (const fn of after) fn();
	};
	const handler = handlers[name] as Handler<MethodName>;
	try {
		await agent.ready;
		const result = await handler(params.data as never, call);
		await access.finish("ok").catch((error) => agent.log(`audit: ${String(error)}`));
		return { outcome: { result: member ? filterResult(result, access.visible) : result }, after: runAfter };
	} catch (error) {
		if (!(error instanceof DeployError)) agent.log(`rpc: ${method} failed: ${(error as Error)?.stack ?? String(error)}`);
		await access.finish(toErrorInfo(error).code).catch((failure) => agent.log(`audit: ${String(failure)}`));
		return { outcome: { error: toErrorInfo(error) }, after: runAfter };
	}
}

/**
 * Issue 17: a call of the HTTPS API (agents/api/): the same runCall, with a lease of its
 * own that ends with the request (an HTTP request is its own connection). A large file's
 * chunks (objects.write, item 5) go to the caller's uploads, kept across requests until
 * the file is complete or idle for DEPLOY_AGENT_UPLOAD_IDLE_SECONDS.
 */
export function httpCall(agent: Agent): ApiRequestDeps["call"] {
	const chunked = new UploadsAcrossRequests({ store: agent.store, maxObjectBytes: agent.tuning.maxObjectBytes, idleMs: agent.tuning.uploadIdleMs });
	return async (caller, method, params, emit, signal, binaryPart = null) => {
		const uploads = agent.store.leases.open();
		const incoming = binaryPart ? chunked.sinkFor(callerKey(caller)) : refuseChunks;
		try {
			const { outcome, after } = await runCall(agent, { caller, signal, emit, uploads, incoming, binaryPart }, method, params);
			after();
			return outcome;
		} finally {
			uploads.release();
		}
	};
}

/** A call without a binary part never writes a chunk (runCall refuses objects.write without one). */
const refuseChunks: ChunkSink = { write: () => Promise.reject(new DeployError("INVALID_PARAMS", "objects.write takes its chunk as the request's body.")) };

/** Who a partial upload belongs to: the key, or the member and their login session; one caller never continues another's file. */
function callerKey(caller: Caller): string {
	return JSON.stringify([caller.key?.name ?? null, caller.member, caller.session ?? null]);
}
