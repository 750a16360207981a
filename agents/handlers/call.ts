import type * as z from "zod";
import type { DeployEvent, MethodName, Methods, ResultOf } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";
import type { ChunkSink } from "../objects/incoming.js";
import type { Lease } from "../objects/leases.js";
import type { CallAccess } from "../access/call-access.js";

/** What a handler gets besides its params: the agent, its cancel signal, a way to stream events. */
export interface Call {
	agent: Agent;
	/** Fires on the client's cancel or when its connection closes; the reason is a DeployError. */
	signal: AbortSignal;
	emit(event: DeployEvent): void;
	/** Runs once the answer has been written (shutdown exits only then). */
	afterReply(fn: () => void): void;
	/** The objects this connection asked about or uploaded: held until it closes, so a collection cannot remove them between the upload and its deploy. */
	uploads: Lease;
	/** Where a large file's chunks go (objects.write): over SSH the connection's, dropped unfinished when it closes; over HTTPS the caller's, kept across requests until idle (agents/objects/uploads-across-requests.ts). */
	incoming: ChunkSink;
	/** The raw bytes that followed the call's line, in the pieces they came in, for a method that takes them (core/protocol/frames.ts); null for every other. */
	binaryPart: Buffer[] | null;
	/** Issue 16: who called, as the access check (agents/access/guard.ts) admitted them. */
	access: CallAccess;
}

export type Handler<M extends MethodName> = (params: z.output<Methods[M]["params"]>, call: Call) => Promise<ResultOf<M>>;
export type Handlers = { [M in MethodName]: Handler<M> };
