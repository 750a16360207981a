// Issue 17, item 4: the server dashboard's bridge and its session, through `fetch`. What
// the server answers is stood in by a stub of fetch here: an access token's expiry takes
// 24 hours of a real agent's clock, and this is about what the page does then (renew
// once with the refresh cookie, call again; sign out when the renewal is refused). The
// Chromium test (test/ui/server-dashboard.test.ts) runs the page against a real agent.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "vitest";
import { ServerBridge } from "../../../../renderer/src/api/server-bridge.js";
import { useSession } from "../../../../renderer/src/stores/session.js";

interface Seen {
	url: string;
	headers: Record<string, string>;
	body: unknown;
}

const member = { id: "carol", name: "carol", email: "carol@example.com" };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const realFetch = globalThis.fetch;
let seen: Seen[];

/** The server as the stub answers it: `valid` is the access token it takes; refresh gives `next`, or fails when `next` is null. */
function serve(state: { valid: string; next: string | null }) {
	globalThis.fetch = (async (url: string, init: RequestInit) => {
		const headers = init.headers as Record<string, string>;
		seen.push({ url, headers, body: JSON.parse(String(init.body)) });
		if (url === "/api/v1/auth/refresh") {
			if (!state.next) return json(401, { error: { code: "REFRESH_REUSED", message: "This session was ended.", hint: "Sign in again." } });
			state.valid = state.next;
			return json(200, { result: { accessToken: state.next, expiresAt: "2026-12-05T00:00:00Z", member } });
		}
		if (headers.authorization !== `Bearer ${state.valid}`) return json(401, { error: { code: "TOKEN_EXPIRED", message: "The access token expired.", hint: "Refresh it." } });
		return json(200, { result: [] });
	}) as typeof fetch;
}

beforeEach(() => {
	seen = [];
	(globalThis as { location?: unknown }).location = { hostname: "dash.example.test" };
	useSession.setState({ status: "signed-in", accessToken: "old", member, byKey: false, error: null, busy: false });
});
afterEach(() => {
	globalThis.fetch = realFetch;
});

test("an expired token is renewed once with the refresh cookie and the call made again", async () => {
	serve({ valid: "new", next: "new" });
	assert.deepEqual(await new ServerBridge().call("deployments.list", { dir: "shop", limit: 5 }), []);
	assert.deepEqual(
		seen.map((s) => [s.url, s.headers.authorization ?? null]),
		[
			["/api/v1/deployments.list", "Bearer old"],
			["/api/v1/auth/refresh", null],
			["/api/v1/deployments.list", "Bearer new"],
		],
	);
	assert.equal(seen[1]!.headers["x-deploy-request"], "1");
	assert.deepEqual(seen[2]!.body, { app: "shop", limit: 5 });
	assert.equal(useSession.getState().accessToken, "new");
});

test("two calls that expire together renew once: a rotated refresh token is never used twice", async () => {
	serve({ valid: "new", next: "new" });
	const bridge = new ServerBridge();
	await Promise.all([bridge.call("instances.list", { dir: "shop" }), bridge.call("deployments.list", { dir: "shop" })]);
	assert.equal(seen.filter((s) => s.url === "/api/v1/auth/refresh").length, 1);
});

test("a refused renewal signs out and the call fails with the server's code; an API key is never renewed", async () => {
	serve({ valid: "new", next: null });
	await assert.rejects(new ServerBridge().call("deployments.list", { dir: "shop" }), { code: "TOKEN_EXPIRED" });
	assert.equal(useSession.getState().status, "signed-out");
	assert.equal(useSession.getState().accessToken, null);
	assert.equal(useSession.getState().error?.code, "SESSION_ENDED");

	seen = [];
	useSession.getState().signInWithKey("dp_revokedrevokedrevokedrevoked");
	await assert.rejects(new ServerBridge().call("deployments.list", { dir: "shop" }), { code: "TOKEN_EXPIRED" });
	assert.deepEqual(
		seen.map((s) => s.url),
		["/api/v1/deployments.list"],
	);
});
