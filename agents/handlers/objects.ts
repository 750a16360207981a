import { decodeObject } from "../objects/blob-id.js";
import type { Handler } from "./call.js";

export const objectsMissing: Handler<"objects.missing"> = async ({ ids }, { agent }) => ({ missing: await agent.store.missing(ids) });

/** Every object is checked against its id before it is stored: a bad one fails the whole batch. */
export const objectsPut: Handler<"objects.put"> = async ({ objects }, { agent }) => {
	const decoded = objects.map(({ id, data }) => ({ id, content: decodeObject(id, data) }));
	for (const { id, content } of decoded) await agent.store.put(id, content);
	return { stored: decoded.length };
};
