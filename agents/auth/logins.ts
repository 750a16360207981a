// Issue 17, item 3: what the server keeps of each member's login, `<home>/auth/logins.json`:
// the password's scrypt hash, the pending invite (its sha256 only), and the instant before
// which no access token of theirs counts ("sign out everywhere"). The address itself is
// the member's, in team.json. A member removed from the server loses this record, so
// their tokens die with it even if the same name is added again.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { join } from "node:path";
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { memberId } from "../../core/protocol/team.js";
import { authDir, jsonStore } from "./json-store.js";
import { passwordHash, type PasswordHash } from "./passwords.js";

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

const login = z.object({
	password: passwordHash.nullable(),
	invite: z.object({ sha256, createdAt: z.string(), expiresAt: z.string() }).nullable(),
	/** Access tokens issued before this instant are refused. */
	validAfter: z.string(),
});
export type Login = z.infer<typeof login>;

const loginsFile = z.object({ version: z.literal(1), logins: z.record(memberId, login) });

export const loginStore = (homeRoot: string) => jsonStore(join(authDir(homeRoot), "logins.json"), loginsFile, () => ({ version: 1 as const, logins: {} }));

/** Invites start with this, so a leaked one is recognisable (as `dp_` keys are). */
export const INVITE_PREFIX = "dpi_";

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** A new invite for the member; the previous one (if any) stops working. The token is returned once, never stored. */
export function issueInvite(homeRoot: string, member: string, seconds: number, now: number): Promise<{ token: string; expiresAt: string }> {
	const token = `${INVITE_PREFIX}${randomBytes(32).toString("base64url")}`;
	const expiresAt = new Date(now + seconds * 1000).toISOString();
	return loginStore(homeRoot).change((file) => {
		const before = file.logins[member] ?? { password: null, invite: null, validAfter: new Date(now).toISOString() };
		const next = { ...before, invite: { sha256: tokenHash(token), createdAt: new Date(now).toISOString(), expiresAt } };
		return { next: { ...file, logins: { ...file.logins, [member]: next } }, value: { token, expiresAt } };
	});
}

/** The member a presented invite is for, when it is pending and unexpired; every stored hash is compared, in constant time. */
function inviteOwner(logins: Record<string, Login>, token: string, now: number): string | null {
	const wanted = Buffer.from(tokenHash(token), "hex");
	let found: string | null = null;
	for (const [member, record] of Object.entries(logins)) {
		if (record.invite && timingSafeEqual(Buffer.from(record.invite.sha256, "hex"), wanted) && Date.parse(record.invite.expiresAt) > now) found = member;
	}
	return found;
}

const inviteInvalid = () => new DeployError("INVITE_INVALID", "This invite link is not valid: unknown, already used, or expired.", "Ask an owner of your team for a new one (`deploy team invite <you>`).");

/** Throws INVITE_INVALID unless the invite can be used now: checked before the password is hashed, so a bad token costs no scrypt. */
export async function checkInvite(homeRoot: string, token: string, now: number): Promise<void> {
	if (!inviteOwner((await loginStore(homeRoot).read()).logins, token, now)) throw inviteInvalid();
}

/** Uses the invite: sets the password and forgets the invite (it works once). Returns the member. */
export function acceptInvite(homeRoot: string, token: string, password: PasswordHash, now: number): Promise<string> {
	return loginStore(homeRoot).change((file) => {
		const member = inviteOwner(file.logins, token, now);
		if (!member) throw inviteInvalid();
		const next = { ...file.logins[member]!, password, invite: null };
		return { next: { ...file, logins: { ...file.logins, [member]: next } }, value: member };
	});
}

/** Every access token of the member issued before `now` is refused from the next request on. */
export function refuseTokensBefore(homeRoot: string, member: string, now: number): Promise<void> {
	return loginStore(homeRoot).change((file) => {
		const record = file.logins[member];
		if (!record) return { next: file, value: undefined };
		return { next: { ...file, logins: { ...file.logins, [member]: { ...record, validAfter: new Date(now).toISOString() } } }, value: undefined };
	});
}

/** The member left the server: their password, invite and tokens go with them. */
export function forgetLogin(homeRoot: string, member: string): Promise<void> {
	return loginStore(homeRoot).change((file) => {
		const { [member]: _gone, ...rest } = file.logins;
		return { next: { ...file, logins: rest }, value: undefined };
	});
}
