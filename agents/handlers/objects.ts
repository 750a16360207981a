import { checkFileCount } from "../../core/protocol/file-limit.js";
import { putBatch } from "../objects/put-batch.js";
import type { Handler } from "./call.js";

/** The first thing a full deploy asks: a tree over the file limit is refused here, before any upload. */
export const objectsMissing: Handler<"objects.missing"> = async ({ ids, files }, { agent, uploads }) => {
	checkFileCount(Math.max(files ?? 0, ids.length), agent.tuning.maxFiles);
	return { missing: await agent.store.missing(ids, uploads), maxObjectBytes: agent.tuning.maxObjectBytes };
};

/**
 * Every object is checked against its id before it is stored (put-batch.ts: the batch
 * inflated as one stream, at most PUT_OBJECT_MAX_BYTES, larger files come through
 * objects.write; written together with one flush of the disk). A bad one fails the
 * call; those before it are stored, valid and collectable.
 */
export const objectsPut: Handler<"objects.put"> = async (batch, { agent, uploads }) => {
	await putBatch(agent.store, batch, agent.tuning.maxObjectBytes, uploads);
	return { stored: batch.objects.length };
};

/**
 * One chunk of a large file, the call's binary part (the RPC server dispatches it only
 * with one): written to disk as it comes (agents/objects/incoming.ts). No await before
 * `write`: chunks queue in the order they arrived.
 */
export const objectsWrite: Handler<"objects.write"> = ({ id, size, offset, deflated }, { incoming, binaryPart }) =>
	incoming.write({ id, size, offset, pieces: binaryPart!, deflated });
