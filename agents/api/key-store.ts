// Issue 17: the API keys of a server, api-keys.json in the agent's 0700 home (0600,
// written atomically, one change at a time). A key is shown once, when it is made, and
// kept only as the sha256 of its text: a key is 32 random bytes, so a fast hash is
// enough (nothing to guess), and a stolen file gives no key. A presented key is found
// by comparing hashes in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { API_KEY_PREFIX, type ApiKeyInfo, apiKeyInfo, type KeyScope } from "../../core/protocol/api-keys.js";
import { DeployError } from "../../core/protocol/errors.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";

export const keyStorePath = (homeRoot: string) => join(homeRoot, "api-keys.json");

const storedKey = apiKeyInfo.extend({ sha256: z.string().regex(/^[0-9a-f]{64}$/) });
type StoredKey = z.infer<typeof storedKey>;
const keyFile = z.object({ version: z.literal(1), keys: z.array(storedKey) });
type KeyFile = z.infer<typeof keyFile>;

/** How often a key's last use is written down: not on every request. */
const LAST_USE_EVERY_MS = 60_000;

export interface NewKey {
	name: string;
	team: string;
	scope: KeyScope;
	apps: string[] | null;
	expiresInSeconds?: number | undefined;
}

export async function readKeys(homeRoot: string): Promise<KeyFile> {
	let text: string;
	try {
		text = await readFile(keyStorePath(homeRoot), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, keys: [] };
		throw error;
	}
	const parsed = keyFile.safeParse(JSON.parse(text));
	// Fail closed: a file that cannot be read admits no key.
	if (!parsed.success) throw new DeployError("KEY_STORE_INVALID", `${keyStorePath(homeRoot)} is not a valid key store.`, "Restore it from a backup, or remove it and create the keys again.");
	return parsed.data;
}

let queue: Promise<unknown> = Promise.resolve();

function changeKeys<T>(homeRoot: string, change: (file: KeyFile) => { file: KeyFile; value: T }): Promise<T> {
	const run = queue.then(async () => {
		const { file, value } = change(await readKeys(homeRoot));
		await writeJsonAtomic(keyStorePath(homeRoot), file);
		return value;
	});
	queue = run.catch(() => undefined);
	return run;
}

const hashOf = (key: string) => createHash("sha256").update(key).digest("hex");
const publicInfo = ({ sha256: _hash, ...info }: StoredKey): ApiKeyInfo => info;
const active = (key: StoredKey, now: number) => key.revokedAt === null && (key.expiresAt === null || Date.parse(key.expiresAt) > now);

/** Makes a key: returns its text (never stored) and what is stored of it. A name in use by a key that still works is refused. */
export function createKey(homeRoot: string, wanted: NewKey, now = Date.now()): Promise<{ key: string; info: ApiKeyInfo }> {
	return changeKeys(homeRoot, (file) => {
		const taken = file.keys.find((k) => k.name === wanted.name && active(k, now));
		if (taken) throw new DeployError("API_KEY_EXISTS", `A key named ${wanted.name} exists already (team ${taken.team}).`, `Pick another name, or revoke it first: \`deploy keys revoke ${wanted.name}\`.`);
		const key = `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
		const stored: StoredKey = {
			name: wanted.name,
			team: wanted.team,
			scope: wanted.scope,
			apps: wanted.apps,
			createdAt: new Date(now).toISOString(),
			expiresAt: wanted.expiresInSeconds === undefined ? null : new Date(now + wanted.expiresInSeconds * 1000).toISOString(),
			lastUsedAt: null,
			revokedAt: null,
			sha256: hashOf(key),
		};
		// A revoked or expired key of the same name is replaced: its name is free again.
		return { file: { ...file, keys: [...file.keys.filter((k) => k.name !== wanted.name), stored] }, value: { key, info: publicInfo(stored) } };
	});
}

export async function listKeys(homeRoot: string): Promise<ApiKeyInfo[]> {
	return (await readKeys(homeRoot)).keys.map(publicInfo);
}

/** Revokes a key of one team: refused from the next request on (every request reads the store). */
export function revokeKey(homeRoot: string, name: string, team: string, now = Date.now()): Promise<ApiKeyInfo> {
	return changeKeys(homeRoot, (file) => {
		const found = file.keys.find((k) => k.name === name && k.team === team);
		if (!found) throw new DeployError("API_KEY_UNKNOWN", `Team ${team} has no key named ${name}.`, "`deploy keys ls` lists the keys of your teams.");
		const revoked = { ...found, revokedAt: found.revokedAt ?? new Date(now).toISOString() };
		return { file: { ...file, keys: file.keys.map((k) => (k === found ? revoked : k)) }, value: publicInfo(revoked) };
	});
}

/**
 * The key a request presents, if it works now: unknown, revoked and expired keys are
 * refused (API_KEY_INVALID, API_KEY_REVOKED, API_KEY_EXPIRED), the words never
 * repeating the key. Notes its use at most once a minute.
 */
export async function authenticateKey(homeRoot: string, presented: string, now = Date.now()): Promise<ApiKeyInfo> {
	const wanted = Buffer.from(hashOf(presented), "hex");
	const file = await readKeys(homeRoot);
	// Every stored hash is compared, so the time taken does not tell which one matched.
	let found: StoredKey | undefined;
	for (const key of file.keys) if (timingSafeEqual(Buffer.from(key.sha256, "hex"), wanted)) found = key;
	if (!presented.startsWith(API_KEY_PREFIX) || !found) throw new DeployError("API_KEY_INVALID", "The API key is not one this server knows.", "Send `Authorization: Bearer dp_…` with a key from `deploy keys create`.");
	if (found.revokedAt !== null) throw new DeployError("API_KEY_REVOKED", `The API key ${found.name} was revoked.`, "Ask an owner of the team for a new key (`deploy keys create`).");
	if (found.expiresAt !== null && Date.parse(found.expiresAt) <= now) throw new DeployError("API_KEY_EXPIRED", `The API key ${found.name} expired at ${found.expiresAt}.`, "Ask an owner of the team for a new key (`deploy keys create --expires 90d`).");
	if (found.lastUsedAt === null || now - Date.parse(found.lastUsedAt) >= LAST_USE_EVERY_MS) await noteUse(homeRoot, found.name, now).catch(() => undefined);
	return publicInfo(found);
}

function noteUse(homeRoot: string, name: string, now: number): Promise<null> {
	const at = new Date(now).toISOString();
	return changeKeys(homeRoot, (file) => ({ file: { ...file, keys: file.keys.map((k) => (k.name === name && k.revokedAt === null ? { ...k, lastUsedAt: at } : k)) }, value: null }));
}
