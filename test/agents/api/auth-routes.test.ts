// Issue 17, item 3: logins of team members through the API's real request handler on a
// real node:http listener (127.0.0.1), real files in a temp agent home, and a clock the
// test moves. The daemon's dispatch is not here (the e2e test runs it): `call` answers
// with the caller it was given, which is what a login changes. scrypt's cost is lowered
// for speed; the stored hash keeps its parameters, so the code path is the same.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "vitest";
import { readAudit } from "../../../agents/access/audit-log.js";
import { changeTeamState } from "../../../agents/access/team-store.js";
import { apiRequestHandler } from "../../../agents/api/http-handler.js";
import { forgetLogin, issueInvite } from "../../../agents/auth/logins.js";

const HOUR = 3_600_000;
const PASSWORD = "correct horse battery";

/** A request that should end now: refused after 5 s instead of waiting for the test's timeout. */
const within = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("still open after 5 s")), 5000).unref())]);

interface Answer {
	status: number;
	body: { result?: Record<string, unknown>; error?: { code: string; message: string; hint?: string } };
	cookie: string | null;
	headers: Headers;
}

describe("logins over the API's auth routes", () => {
	let home: string;
	let server: Server;
	let base: string;
	let now: number;
	const calls: unknown[] = [];

	beforeEach(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-logins-"));
		now = Date.parse("2026-12-04T12:00:00Z");
		await changeTeamState(home, (state) => ({
			state: {
				...state,
				teams: [{ name: "acme", createdAt: new Date(now).toISOString() }],
				members: [{ id: "carol", fingerprint: null, email: "carol@example.com", addedAt: new Date(now).toISOString(), lastSeen: null, memberships: [{ team: "acme", role: "member", apps: null, canDeployProduction: false }], publicKey: null }],
			},
			value: null,
		}));
		const handler = apiRequestHandler({
			homeRoot: home,
			now: () => now,
			passwordCost: { N: 1024, r: 8, p: 1 },
			url: () => undefined,
			log: () => undefined,
			call: async (caller, method, _params, _emit, signal) => {
				calls.push(caller);
				// A followed log streams until the request is ended: what ending a session's open requests is for.
				if (method === "logs") await new Promise((resolve) => signal.addEventListener("abort", resolve));
				return { result: [] };
			},
		});
		server = createServer(handler);
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
		calls.length = 0;
	});

	afterEach(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
		await rm(home, { recursive: true, force: true });
	});

	async function send(method: string, path: string, options: { body?: unknown; token?: string; cookie?: string | null; deployHeader?: boolean; from?: string } = {}): Promise<Answer> {
		const headers: Record<string, string> = {};
		if (options.body !== undefined) headers["content-type"] = "application/json";
		if (options.token) headers.authorization = `Bearer ${options.token}`;
		if (options.cookie) headers.cookie = `other=1; deploy_refresh=${options.cookie}`;
		if (options.deployHeader !== false) headers["x-deploy-request"] = "1";
		if (options.from) headers["x-forwarded-for"] = options.from;
		const response = await fetch(`${base}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
		const setCookie = response.headers.getSetCookie()[0] ?? null;
		return { status: response.status, body: (await response.json()) as Answer["body"], cookie: setCookie?.match(/^deploy_refresh=([^;]*)/)?.[1] ?? null, headers: response.headers };
	}
	const login = (email = "carol@example.com", password = PASSWORD, from?: string) => send("POST", "/auth/login", { body: { email, password }, ...(from ? { from } : {}) });
	const refresh = (cookie: string | null) => send("POST", "/auth/refresh", { cookie });
	const session = (token: string) => send("GET", "/auth/session", { token });
	const tokenOf = (answer: Answer) => String(answer.body.result?.accessToken);
	async function acceptInvite(): Promise<Answer> {
		const { token } = await issueInvite(home, "carol", 72 * 3600, now);
		const accepted = await send("POST", "/auth/invite", { body: { token, password: PASSWORD } });
		assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
		return accepted;
	}

	test("an invite sets the password and logs in, once; a short password is refused with the rule and uses nothing up; an expired one is refused", async () => {
		const { token } = await issueInvite(home, "carol", 72 * 3600, now);
		const short = await send("POST", "/auth/invite", { body: { token, password: "short" } });
		assert.equal(short.status, 400);
		assert.equal(short.body.error?.code, "INVALID_PARAMS");
		assert.match(short.body.error?.message ?? "", /password: must be at least 12 characters/);

		const accepted = await send("POST", "/auth/invite", { body: { token, password: PASSWORD } });
		assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
		assert.deepEqual(accepted.body.result?.member, { id: "carol", name: "carol", email: "carol@example.com" });
		assert.equal(accepted.body.result?.expiresAt, new Date(now + 24 * HOUR).toISOString());
		const setCookie = accepted.headers.getSetCookie()[0] ?? "";
		assert.match(setCookie, /^deploy_refresh=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/api\/v1\/auth; Max-Age=2592000$/);

		const again = await send("POST", "/auth/invite", { body: { token, password: "another password!" } });
		assert.equal(again.status, 401);
		assert.equal(again.body.error?.code, "INVITE_INVALID");
		assert.equal((await login("carol@example.com", "another password!")).status, 401, "the used invite changed nothing");
		assert.equal((await login()).status, 200);

		const late = await issueInvite(home, "carol", 72 * 3600, now);
		now += 73 * HOUR;
		const expired = await send("POST", "/auth/invite", { body: { token: late.token, password: PASSWORD } });
		assert.equal(expired.status, 401);
		assert.equal(expired.body.error?.code, "INVITE_INVALID");
	});

	test("a wrong password and an unknown email get the same answer; the access token says who the member is and is refused after 24 hours", async () => {
		await acceptInvite();
		const wrong = await login("carol@example.com", "not the password");
		const unknown = await login("nobody@example.com", PASSWORD);
		assert.equal(wrong.status, 401);
		assert.deepEqual(wrong.body, unknown.body);
		assert.equal(wrong.body.error?.code, "LOGIN_FAILED");

		const ok = await login("Carol@Example.com", PASSWORD);
		assert.equal(ok.status, 200);
		const me = await session(tokenOf(ok));
		assert.equal(me.status, 200);
		assert.deepEqual(me.body.result, { member: { id: "carol", name: "carol", email: "carol@example.com" }, memberships: [{ team: "acme", role: "member", apps: null, canDeployProduction: false }] });
		// Every other route: the token's member is the caller the guard gets.
		const apps = await send("GET", "/apps", { token: tokenOf(ok) });
		assert.equal(apps.status, 200);
		assert.equal((calls.at(-1) as { member: string }).member, "carol");

		now += 24 * HOUR - 1000;
		assert.equal((await session(tokenOf(ok))).status, 200);
		now += 2000;
		const late = await session(tokenOf(ok));
		assert.equal(late.status, 401);
		assert.equal(late.body.error?.code, "TOKEN_EXPIRED");
		assert.equal((await send("GET", "/apps", { token: tokenOf(ok) })).body.error?.code, "TOKEN_EXPIRED");
		const audit = await readAudit(home);
		assert.deepEqual(
			audit.filter((e) => e.action === "auth.login").map((e) => [e.member, e.args.email, e.result]),
			[
				["carol", "carol@example.com", "LOGIN_FAILED"],
				[null, "nobody@example.com", "LOGIN_FAILED"],
				["carol", "carol@example.com", "ok"],
			],
		);
	});

	test("a refresh rotates the cookie and needs X-Deploy-Request; reusing the old one revokes the whole family, the new one and its access token too", async () => {
		const first = await acceptInvite();
		const missing = await send("POST", "/auth/refresh", { cookie: first.cookie, deployHeader: false });
		assert.equal(missing.status, 403);
		assert.equal(missing.body.error?.code, "REQUEST_HEADER_MISSING");
		assert.match(missing.body.error?.message ?? "", /X-Deploy-Request: 1/);

		now += HOUR;
		const second = await refresh(first.cookie);
		assert.equal(second.status, 200, JSON.stringify(second.body));
		assert.ok(second.cookie && second.cookie !== first.cookie, "a new refresh token");
		assert.notEqual(tokenOf(second), tokenOf(first));
		assert.equal((await session(tokenOf(second))).status, 200);

		const reused = await refresh(first.cookie);
		assert.equal(reused.status, 401);
		assert.equal(reused.body.error?.code, "REFRESH_REUSED");
		const afterReuse = await refresh(second.cookie);
		assert.equal(afterReuse.status, 401, "the thief's and the owner's tokens are one family: both end");
		assert.equal((await session(tokenOf(second))).body.error?.code, "TOKEN_REVOKED");
		// Another login is another family, untouched.
		assert.equal((await session(tokenOf(await login()))).status, 200);
		const reuse = (await readAudit(home)).filter((e) => e.action === "auth.refresh-reused");
		assert.equal(reuse.length, 1);
		assert.equal(reuse[0]?.member, "carol");
	});

	test("logout ends its session (refresh refused, cookie cleared); logout-all refuses every access token and session of the member at once", async () => {
		const one = await acceptInvite();
		const out = await send("POST", "/auth/logout", { cookie: one.cookie });
		assert.equal(out.status, 200);
		assert.match(out.headers.getSetCookie()[0] ?? "", /^deploy_refresh=; .*Max-Age=0$/);
		assert.equal((await refresh(one.cookie)).body.error?.code, "SESSION_ENDED");
		assert.equal((await session(tokenOf(one))).body.error?.code, "TOKEN_REVOKED");

		const [laptop, phone] = [await login(), await login()];
		assert.equal((await session(tokenOf(phone))).status, 200);
		const everywhere = await send("POST", "/auth/logout-all", { token: tokenOf(laptop) });
		assert.equal(everywhere.status, 200);
		for (const device of [laptop, phone]) {
			assert.equal((await session(tokenOf(device))).body.error?.code, "TOKEN_REVOKED");
			assert.equal((await refresh(device.cookie)).status, 401);
		}
		now += 1000;
		assert.equal((await session(tokenOf(await login()))).status, 200, "a login after it works");
	});

	test("a logout ends its session's open requests (a followed log) at once, not another session's; logout-all ends them all", async () => {
		const [first, second] = [await acceptInvite(), await login()];
		const follow = (grant: Answer) => {
			const answer = send("GET", "/apps/shop/logs?follow=true", { token: tokenOf(grant) });
			const state = { settled: false };
			void answer.then(() => {
				state.settled = true;
			});
			return { answer, state };
		};
		const [one, two] = [follow(first), follow(second)];
		while (calls.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
		assert.equal((await send("POST", "/auth/logout", { cookie: first.cookie })).status, 200);
		const ended = await within(one.answer);
		assert.equal(ended.status, 401);
		assert.equal(ended.body.error?.code, "TOKEN_REVOKED");
		await new Promise((resolve) => setTimeout(resolve, 50));
		assert.equal(two.state.settled, false, "the other session's log still follows");
		assert.equal((await send("POST", "/auth/logout-all", { token: tokenOf(second) })).status, 200);
		assert.equal((await within(two.answer)).body.error?.code, "TOKEN_REVOKED");
	});

	test("5 failures lock the account for 15 minutes (429, Retry-After), even with the right password; 20 from one address block it; both end", async () => {
		await acceptInvite();
		for (let i = 0; i < 5; i++) assert.equal((await login("carol@example.com", `wrong password ${i}`)).status, 401);
		const locked = await login();
		assert.equal(locked.status, 429);
		assert.equal(locked.body.error?.code, "LOGIN_RATE_LIMITED");
		assert.equal(locked.headers.get("retry-after"), "900");
		now += 14 * 60_000;
		assert.equal((await login()).headers.get("retry-after"), "60");
		now += 60_000;
		assert.equal((await login()).status, 200, "the lock ends");
		assert.ok((await readAudit(home)).some((e) => e.action === "auth.lockout" && e.args.email === "carol@example.com"));

		for (let i = 0; i < 20; i++) assert.equal((await login(`guess${i}@example.com`, "whatever it is", "203.0.113.9")).status, 401);
		const blocked = await login("carol@example.com", PASSWORD, "203.0.113.9");
		assert.equal(blocked.status, 429);
		assert.equal((await login("carol@example.com", PASSWORD, "198.51.100.1")).status, 200, "another address is not blocked");
		now += 15 * 60_000;
		assert.equal((await login("carol@example.com", PASSWORD, "203.0.113.9")).status, 200);
	});

	test("a member removed from the server: their access token is refused at the next request", async () => {
		const grant = await acceptInvite();
		await changeTeamState(home, (state) => ({ state: { ...state, members: [] }, value: null }));
		await forgetLogin(home, "carol");
		assert.equal((await session(tokenOf(grant))).body.error?.code, "TOKEN_REVOKED");
		assert.equal((await send("GET", "/apps", { token: tokenOf(grant) })).status, 401);
		assert.equal(calls.length, 0, "nothing ran");
	});

	test("no password, refresh token, invite or access token is in clear in any file of the agent's home", async () => {
		const { token: invite } = await issueInvite(home, "carol", 72 * 3600, now);
		const accepted = await send("POST", "/auth/invite", { body: { token: invite, password: PASSWORD } });
		const rotated = await refresh(accepted.cookie);
		await login("carol@example.com", "a wrong password");
		const secrets = [PASSWORD, invite, String(accepted.cookie), String(rotated.cookie), tokenOf(accepted), tokenOf(rotated), "a wrong password"];
		const files = (await readdir(home, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
		assert.ok(files.some((file) => file.endsWith("sessions.json")) && files.some((file) => file.endsWith("logins.json")) && files.some((file) => file.endsWith("audit.log")));
		for (const file of files) {
			const text = await readFile(file, "utf8");
			for (const secret of secrets) assert.ok(!text.includes(secret), `${file} holds a secret`);
			// Base64 of the password too (a hash's encoding must not be the password's).
			assert.ok(!text.includes(Buffer.from(PASSWORD).toString("base64")), file);
		}
	});
});
