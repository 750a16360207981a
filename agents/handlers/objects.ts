import { checkFileCount } from "../../core/protocol/file-limit.js";
import { decodeObject } from "../objects/blob-id.js";
import type { Handler } from "./call.js";

/** The first thing a full deploy asks: a tree over the file limit is refused here, before any upload. */
export const objectsMissing: Handler<"objects.missing"> = async ({ ids, files }, { agent, uploads }) => {
	checkFileCount(Math.max(files ?? 0, ids.length), agent.tuning.maxFiles);
	return { missing: await agent.store.missing(ids, uploads) };
};

/**
 * Every object is checked against its id before it is stored, one at a time, so the
 * daemon holds one inflated object (at most DEPLOY_AGENT_MAX_OBJECT_MB) whatever the
 * batch. A bad one fails the call; those before it are stored, valid and collectable.
 */
export const objectsPut: Handler<"objects.put"> = async ({ objects }, { agent, uploads }) => {
	for (const { id, data } of objects) await agent.store.put(id, decodeObject(id, data, agent.tuning.maxObjectBytes), uploads);
	return { stored: objects.length };
};
