// Issue 17, item 3: refresh tokens, `<home>/auth/sessions.json`. A login starts a family;
// each refresh token is 32 random bytes kept only as its sha256, and each use replaces it
// with the next of its family (the used one is marked, not removed). A marked one shown
// again means two parties hold the family's tokens, one of them a thief: the whole
// family is revoked, whoever of the two refreshes next. Logout revokes one family;
// "sign out everywhere" all of a member's.
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { memberId } from "../../core/protocol/team.js";
import { authDir, type JsonStore, jsonStore } from "./json-store.js";
import { tokenHash } from "./logins.js";

export const REFRESH_LIFETIME_MS = 30 * 86_400_000;

const revokedWhy = z.enum(["logout", "logout-all", "reused", "removed"]);
const family = z.object({ id: z.string().uuid(), member: memberId, createdAt: z.string(), revokedAt: z.string().nullable(), revokedWhy: revokedWhy.nullable() });
const refreshToken = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), family: z.string(), expiresAt: z.string(), usedAt: z.string().nullable() });
const sessionsFile = z.object({ version: z.literal(1), families: z.array(family), tokens: z.array(refreshToken) });
type SessionsFile = z.infer<typeof sessionsFile>;
type RefreshToken = z.infer<typeof refreshToken>;
export type RevokedWhy = z.infer<typeof revokedWhy>;

const store = (homeRoot: string): JsonStore<SessionsFile> => jsonStore(join(authDir(homeRoot), "sessions.json"), sessionsFile, () => ({ version: 1 as const, families: [], tokens: [] }));

export interface Issued {
	member: string;
	family: string;
	/** The new refresh token: for the cookie, never stored. */
	token: string;
}

/** Drops what can no longer be presented: expired tokens, and families with none left. */
function pruned(file: SessionsFile, now: number): SessionsFile {
	const tokens = file.tokens.filter((t) => Date.parse(t.expiresAt) > now);
	const alive = new Set(tokens.map((t) => t.family));
	return { ...file, families: file.families.filter((f) => alive.has(f.id)), tokens };
}

function newToken(familyId: string, now: number): { token: string; stored: RefreshToken } {
	const token = randomBytes(32).toString("base64url");
	return { token, stored: { sha256: tokenHash(token), family: familyId, expiresAt: new Date(now + REFRESH_LIFETIME_MS).toISOString(), usedAt: null } };
}

/** A login: a new family and its first token. */
export function startSession(homeRoot: string, member: string, now: number): Promise<Issued> {
	return store(homeRoot).change((file) => {
		const id = randomUUID();
		const { token, stored } = newToken(id, now);
		const next = pruned({ ...file, families: [...file.families, { id, member, createdAt: new Date(now).toISOString(), revokedAt: null, revokedWhy: null }], tokens: [...file.tokens, stored] }, now);
		return { next, value: { member, family: id, token } };
	});
}

/** The stored token a presented one is, compared with every stored hash in constant time. */
function findToken(file: SessionsFile, presented: string): RefreshToken | undefined {
	const wanted = Buffer.from(tokenHash(presented), "hex");
	let found: RefreshToken | undefined;
	for (const token of file.tokens) if (timingSafeEqual(Buffer.from(token.sha256, "hex"), wanted)) found = token;
	return found;
}

const revoke = (file: SessionsFile, which: (f: SessionsFile["families"][number]) => boolean, why: RevokedWhy, now: number): SessionsFile => ({
	...file,
	families: file.families.map((f) => (which(f) && f.revokedAt === null ? { ...f, revokedAt: new Date(now).toISOString(), revokedWhy: why } : f)),
});

const sessionEnded = () => new DeployError("SESSION_ENDED", "This session has ended (logged out, or unknown to this server).", "Log in again.");

export type RefreshOutcome = { ok: true; issued: Issued } | { ok: false; reused: { member: string; family: string } | null; error: DeployError };

/**
 * One refresh: the presented token is used up and the next of its family is returned. A
 * token used before revokes its family (the outcome says whose, for the audit log); an
 * unknown, expired or revoked one is refused and changes nothing.
 */
export function rotateSession(homeRoot: string, presented: string, now: number, memberExists: (member: string) => Promise<boolean>): Promise<RefreshOutcome> {
	return store(homeRoot).change(async (file): Promise<{ next: SessionsFile; value: RefreshOutcome }> => {
		const token = findToken(file, presented);
		const owner = token && file.families.find((f) => f.id === token.family);
		if (!token || !owner) return { next: file, value: { ok: false, reused: null, error: sessionEnded() } };
		if (token.usedAt !== null) {
			const error = new DeployError("REFRESH_REUSED", "This refresh token was used before: every session it belongs to is now ended, in case it was stolen.", "Log in again. If you did not use it twice (two tabs at once), change your password.");
			const first = owner.revokedAt === null;
			return { next: revoke(file, (f) => f.id === owner.id, "reused", now), value: { ok: false, reused: first ? { member: owner.member, family: owner.id } : null, error } };
		}
		if (owner.revokedAt !== null || !(await memberExists(owner.member))) return { next: file, value: { ok: false, reused: null, error: sessionEnded() } };
		if (Date.parse(token.expiresAt) <= now) return { next: file, value: { ok: false, reused: null, error: new DeployError("TOKEN_EXPIRED", "The session expired (30 days without a refresh).", "Log in again.") } };
		const fresh = newToken(owner.id, now);
		const tokens = file.tokens.map((t) => (t === token ? { ...t, usedAt: new Date(now).toISOString() } : t));
		return { next: pruned({ ...file, tokens: [...tokens, fresh.stored] }, now), value: { ok: true, issued: { member: owner.member, family: owner.id, token: fresh.token } } };
	});
}

/** Logout: the presented token's family ends. Returns whose and which (null: nothing to end). */
export function endSession(homeRoot: string, presented: string, now: number): Promise<{ member: string; family: string } | null> {
	return store(homeRoot).change((file) => {
		const token = findToken(file, presented);
		const owner = token && file.families.find((f) => f.id === token.family);
		if (!owner) return { next: file, value: null };
		return { next: revoke(file, (f) => f.id === owner.id, "logout", now), value: { member: owner.member, family: owner.id } };
	});
}

/** Every family of the member ends. */
export function endMemberSessions(homeRoot: string, member: string, why: RevokedWhy, now: number): Promise<void> {
	return store(homeRoot).change((file) => ({ next: pruned(revoke(file, (f) => f.member === member, why, now), now), value: undefined }));
}

/** Whether a family is still alive (an access token of an ended one is refused). */
export async function sessionActive(homeRoot: string, familyId: string): Promise<boolean> {
	const found = (await store(homeRoot).read()).families.find((f) => f.id === familyId);
	return found !== undefined && found.revokedAt === null;
}
