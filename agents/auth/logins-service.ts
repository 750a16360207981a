// Issue 17, item 3: logins to the HTTPS API, as one object the listener holds (its clock
// injected, its rate limits in memory). Each operation is one function: check the
// limits, check the secret, change the stores, write the audit line (never a secret in
// it), answer. The HTTP side (agents/api/auth-routes.ts) only reads requests and writes
// answers.
import { DeployError } from "../../core/protocol/errors.js";
import type { Membership } from "../../core/protocol/team.js";
import { appendAudit } from "../access/audit-log.js";
import { readTeamState } from "../access/team-store.js";
import { issueAccessToken, verifyAccessToken } from "./access-tokens.js";
import { acceptInvite, checkInvite, loginStore, refuseTokensBefore } from "./logins.js";
import { hashSlots } from "./hash-slots.js";
import { hashPassword, type ScryptCost, verifyPassword } from "./passwords.js";
import { ACCOUNT_RULE, ADDRESS_RULE, FailureLimiter, RateLimitedError } from "./rate-limit.js";
import { endSessionRequests } from "./session-requests.js";
import { endMemberSessions, endSession, rotateSession, sessionActive, startSession } from "./sessions.js";

export interface LoginMember {
	id: string;
	/** The member's name on the server (their id: members have no other name). */
	name: string;
	email: string | null;
}

/** What a login, an accepted invite and a refresh give: the access token for the page's memory, the refresh token for the cookie. */
export interface Grant {
	accessToken: string;
	expiresAt: string;
	member: LoginMember;
	refreshToken: string;
}

export interface LoginsOptions {
	homeRoot: string;
	now?: () => number;
	/** scrypt's cost for new passwords (tests make it cheap; stored hashes keep their own). */
	cost?: ScryptCost;
}

const loginFailed = () => new DeployError("LOGIN_FAILED", "The email or the password is wrong.", "Check both; after 5 failures the account is locked for 15 minutes. Lost the password? Ask an owner of your team for a new invite.");

export class Logins {
	readonly #accounts = new FailureLimiter(ACCOUNT_RULE);
	readonly #addresses = new FailureLimiter(ADDRESS_RULE);
	readonly #hashing = hashSlots();
	readonly #homeRoot: string;
	readonly #now: () => number;
	readonly #cost: ScryptCost | undefined;

	constructor(options: LoginsOptions) {
		this.#homeRoot = options.homeRoot;
		this.#now = options.now ?? Date.now;
		this.#cost = options.cost;
	}

	async login(email: string, password: string, client: string | null): Promise<Grant> {
		const now = this.#now();
		const address = client ?? "unknown";
		const state = await readTeamState(this.#homeRoot);
		const member = state.members.find((m) => m.email === email) ?? null;
		const audit = (result: string) => this.#audit("auth.login", member?.id ?? null, client, { email }, result, now);
		await this.#refuseWhileLocked(this.#accounts.retryAfter(email, now), this.#addresses.retryAfter(address, now), () => audit("LOGIN_RATE_LIMITED"));
		const record = member ? (await loginStore(this.#homeRoot).read()).logins[member.id] : undefined;
		// Unknown address, or no password set yet: the same scrypt work, the same answer.
		if (!(await this.#hashing.run(() => verifyPassword(record?.password ?? null, password, this.#cost))) || !member) {
			const lockedAccount = this.#accounts.fail(email, now);
			const lockedAddress = this.#addresses.fail(address, now);
			await audit("LOGIN_FAILED");
			if (lockedAccount || lockedAddress) await this.#audit("auth.lockout", member?.id ?? null, client, lockedAccount ? { email } : { address }, "locked", now);
			throw loginFailed();
		}
		this.#accounts.succeed(email);
		await audit("ok");
		return this.#grant(member.id, member.email ?? null, now);
	}

	async acceptInvite(token: string, password: string, client: string | null): Promise<Grant> {
		const now = this.#now();
		const address = client ?? "unknown";
		await this.#refuseWhileLocked(0, this.#addresses.retryAfter(address, now), () => this.#audit("auth.invite", null, client, {}, "LOGIN_RATE_LIMITED", now));
		try {
			await checkInvite(this.#homeRoot, token, now);
		} catch (error) {
			this.#addresses.fail(address, now);
			await this.#audit("auth.invite", null, client, {}, "INVITE_INVALID", now);
			throw error;
		}
		const hash = await this.#hashing.run(() => hashPassword(password, this.#cost));
		const member = await acceptInvite(this.#homeRoot, token, hash, now);
		await this.#audit("auth.invite", member, client, {}, "ok", now);
		const state = await readTeamState(this.#homeRoot);
		return this.#grant(member, state.members.find((m) => m.id === member)?.email ?? null, now);
	}

	async refresh(refreshToken: string, client: string | null): Promise<Grant> {
		const now = this.#now();
		const outcome = await rotateSession(this.#homeRoot, refreshToken, now, (member) => this.#hasLogin(member));
		if (!outcome.ok) {
			if (outcome.reused) await this.#audit("auth.refresh-reused", outcome.reused.member, client, { session: outcome.reused.family }, "REFRESH_REUSED", now);
			throw outcome.error;
		}
		const { member, family, token } = outcome.issued;
		const state = await readTeamState(this.#homeRoot);
		const access = await issueAccessToken(this.#homeRoot, member, family, now);
		return { accessToken: access.token, expiresAt: access.expiresAt, member: { id: member, name: member, email: state.members.find((m) => m.id === member)?.email ?? null }, refreshToken: token };
	}

	/** Ends the refresh token's session and its open requests; an unknown token ends nothing and is no error (the cookie is cleared either way). */
	async logout(refreshToken: string | null, client: string | null): Promise<void> {
		const now = this.#now();
		const ended = refreshToken ? await endSession(this.#homeRoot, refreshToken, now) : null;
		if (!ended) return;
		endSessionRequests({ session: ended.family });
		await this.#audit("auth.logout", ended.member, client, {}, "ok", now);
	}

	/** Sign out everywhere: every session of the member ends (their open requests too), and every access token they hold is refused from now on. */
	async logoutAll(member: string, client: string | null): Promise<void> {
		const now = this.#now();
		await endMemberSessions(this.#homeRoot, member, "logout-all", now);
		await refuseTokensBefore(this.#homeRoot, member, now);
		endSessionRequests({ member });
		await this.#audit("auth.logout-all", member, client, {}, "ok", now);
	}

	/**
	 * The member an access token speaks for, checked on every request: signed by a key of
	 * this server, not expired, its member still on the server with a login, issued after
	 * their last "sign out everywhere", its session not logged out.
	 */
	async accessOf(token: string): Promise<{ member: string; session: string }> {
		const now = this.#now();
		const claims = await verifyAccessToken(this.#homeRoot, token, now);
		const record = (await loginStore(this.#homeRoot).read()).logins[claims.member];
		// validAfter counts in whole seconds, as `iat` does; a token of the same second is refused by its ended session.
		const signedOut = !record || claims.issuedAt < Math.floor(Date.parse(record.validAfter) / 1000) * 1000;
		if (signedOut || !(await this.#hasLogin(claims.member)) || !(await sessionActive(this.#homeRoot, claims.family))) {
			throw new DeployError("TOKEN_REVOKED", "This access token no longer counts: its session was logged out, or its member removed.", "Log in again.");
		}
		return { member: claims.member, session: claims.family };
	}

	/** Who a member is, for the page: their teams and roles. */
	async session(member: string): Promise<{ member: LoginMember; memberships: Membership[] }> {
		const found = (await readTeamState(this.#homeRoot)).members.find((m) => m.id === member);
		if (!found) throw new DeployError("TOKEN_REVOKED", "This member is no longer on the server.", "Log in again.");
		return { member: { id: found.id, name: found.id, email: found.email ?? null }, memberships: found.memberships };
	}

	async #grant(member: string, email: string | null, now: number): Promise<Grant> {
		const session = await startSession(this.#homeRoot, member, now);
		const access = await issueAccessToken(this.#homeRoot, member, session.family, now);
		return { accessToken: access.token, expiresAt: access.expiresAt, member: { id: member, name: member, email }, refreshToken: session.token };
	}

	async #hasLogin(member: string): Promise<boolean> {
		const [state, logins] = await Promise.all([readTeamState(this.#homeRoot), loginStore(this.#homeRoot).read()]);
		return state.members.some((m) => m.id === member) && Object.hasOwn(logins.logins, member);
	}

	async #refuseWhileLocked(accountWait: number, addressWait: number, audit: () => Promise<void>): Promise<void> {
		const wait = Math.max(accountWait, addressWait);
		if (wait === 0) return;
		await audit();
		throw new RateLimitedError(accountWait >= addressWait ? "Too many failed logins for this account: it is locked for now." : "Too many failed logins from this address: it is blocked for now.", wait);
	}

	#audit(action: string, member: string | null, client: string | null, args: Record<string, unknown>, result: string, now: number): Promise<void> {
		return appendAudit(this.#homeRoot, { time: new Date(now).toISOString(), member, fingerprint: null, client, action, method: action, app: null, args, result }, now);
	}
}
