// Issue 17, item 3: members' passwords, hashed with scrypt (memory-hard: a stolen file
// costs an attacker 32 MiB and tens of milliseconds per guess). The salt and the cost
// parameters are kept with each hash, so the cost can be raised later without making
// old passwords unusable. A login with an unknown address runs the same scrypt against
// a hash nobody knows the password of: it takes the time a wrong password takes.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import * as z from "zod";

export const MIN_PASSWORD_LENGTH = 12;
/** scrypt reads all of it; a bound keeps one request from costing more than another. */
export const MAX_PASSWORD_LENGTH = 1024;

export const passwordHash = z.object({
	algorithm: z.literal("scrypt"),
	/** CPU/memory cost (a power of two), block size and parallelization, as node:crypto names them. */
	N: z.number().int().min(2),
	r: z.number().int().min(1),
	p: z.number().int().min(1),
	salt: z.string().min(16),
	hash: z.string().min(16),
});
export type PasswordHash = z.infer<typeof passwordHash>;

export interface ScryptCost {
	N: number;
	r: number;
	p: number;
}

/** OWASP's floor for scrypt (2^15, 8, 1): 32 MiB per hash. */
export const DEFAULT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
	// The memory scrypt needs is 128 * N * r bytes; node's default cap (32 MiB) is exactly the default cost's, so it is raised.
	const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
	return new Promise((resolve, reject) => scrypt(password.normalize("NFC"), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

export async function hashPassword(password: string, cost: ScryptCost = DEFAULT_COST): Promise<PasswordHash> {
	const salt = randomBytes(16);
	const hash = await derive(password, salt, cost);
	return { algorithm: "scrypt", ...cost, salt: salt.toString("base64"), hash: hash.toString("base64") };
}

/** Made once per process: the stand-in an unknown address is checked against. */
let decoy: Promise<PasswordHash> | null = null;

/** Whether `password` is the one of `stored`; with no stored hash (unknown address, no password set yet) the same work is done and the answer is false. */
export async function verifyPassword(stored: PasswordHash | null, password: string, cost: ScryptCost = DEFAULT_COST): Promise<boolean> {
	decoy ??= hashPassword(randomBytes(24).toString("base64"), cost);
	const against = stored ?? (await decoy);
	const expected = Buffer.from(against.hash, "base64");
	const actual = await derive(password, Buffer.from(against.salt, "base64"), against);
	return timingSafeEqual(actual, expected.length === actual.length ? expected : actual.map((b) => b ^ 1)) && stored !== null;
}
