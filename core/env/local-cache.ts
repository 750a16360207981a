import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { writeFileAtomic } from "../protocol/atomic-write.js";
import type { EnvEnvironment, EnvEntry } from "../protocol/env.js";
import { open, seal } from "../protocol/sealed.js";
import { localKeySource } from "./key-source.js";

/**
 * The last env values seen of each app, sealed with this machine's key:
 * `<deploy home>/secrets/<server>/<app>/<environment>.json`, 0600. What `deploy env ls`
 * shows when the server cannot be reached; the server stays the source of truth.
 */
const cached = z.object({ version: z.literal(1), fetchedAt: z.string(), sealed: z.string() });
const entries = z.array(z.object({ key: z.string(), value: z.string(), updatedAt: z.string() }));

export interface CachedEnv {
	fetchedAt: string;
	vars: { key: string; value: string; updatedAt: string }[];
}

async function cachePath(server: string, app: string, environment: EnvEnvironment): Promise<string> {
	const { deployHome } = await import("../paths.js");
	return join(deployHome(), "secrets", server, app, `${environment}.json`);
}

const context = (server: string, app: string, environment: EnvEnvironment) => `env-cache:${server}:${app}:${environment}`;

export async function writeEnvCache(server: string, app: string, environment: EnvEnvironment, vars: EnvEntry[]): Promise<void> {
	const key = await (await localKeySource()).load();
	const plain = vars.map((v) => ({ key: v.key, value: v.value ?? "", updatedAt: v.updatedAt }));
	const file = { version: 1, fetchedAt: new Date().toISOString(), sealed: seal(key, JSON.stringify(plain), context(server, app, environment)) };
	const path = await cachePath(server, app, environment);
	// Its folders 0700, the file 0600.
	await writeFileAtomic(path, JSON.stringify(file));
}

/** Null when nothing is cached (or the cache was sealed with a key this machine lost). */
export async function readEnvCache(server: string, app: string, environment: EnvEnvironment): Promise<CachedEnv | null> {
	const path = await cachePath(server, app, environment);
	const text = await readFile(path, "utf8").catch(() => null);
	if (!text) return null;
	const file = cached.safeParse(JSON.parse(text));
	if (!file.success) return null;
	try {
		const key = await (await localKeySource()).load();
		return { fetchedAt: file.data.fetchedAt, vars: entries.parse(JSON.parse(open(key, file.data.sealed, context(server, app, environment)))) };
	} catch {
		return null;
	}
}
