// Issue 17, item 3: the login state files in `<home>/auth/` (0600 in a 0700 folder),
// each read fresh per request (a change takes effect on the next one) and changed one
// change at a time in this daemon, its only writer, atomically. A file that cannot be
// read fails closed: nobody logs in until it is restored.
import { join } from "node:path";
import type * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { readTextIfExists } from "../fs/read-if-exists.js";

export const authDir = (homeRoot: string) => join(homeRoot, "auth");

export interface JsonStore<T> {
	read(): Promise<T>;
	/** `change` returns the new content (or throws, and nothing is written) and a value. */
	change<V>(change: (current: T) => { next: T; value: V } | Promise<{ next: T; value: V }>): Promise<V>;
}

const queues = new Map<string, Promise<unknown>>();

export function jsonStore<S extends z.ZodType>(path: string, schema: S, empty: () => z.output<S>): JsonStore<z.output<S>> {
	const read = async (): Promise<z.output<S>> => {
		const text = await readTextIfExists(path);
		if (text === null) return empty();
		let parsed: ReturnType<S["safeParse"]> | null = null;
		try {
			parsed = schema.safeParse(JSON.parse(text)) as ReturnType<S["safeParse"]>;
		} catch {}
		if (!parsed?.success) throw new DeployError("AUTH_STATE_INVALID", `${path} is not valid.`, "Restore it from a backup; until then nobody can log in to the HTTPS API (API keys still work).");
		return parsed.data as z.output<S>;
	};
	return {
		read,
		change(change) {
			const run = (queues.get(path) ?? Promise.resolve()).then(async () => {
				const { next, value } = await change(await read());
				await writeJsonAtomic(path, next);
				return value;
			});
			queues.set(
				path,
				run.catch(() => undefined),
			);
			return run;
		},
	};
}
