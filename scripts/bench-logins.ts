// Measures logins to the HTTPS API on this machine (issue 17, item 3), at the cost the
// agent uses (scrypt N=2^15, r=8, p=1): the time of a password check for the right
// password, a wrong one and an unknown address (they should match: no address is told
// apart by time), and whole requests through the API's handler on a 127.0.0.1 listener
// (login, refresh, a request with the access token). Prints medians and p90.
// Run: npx tsx scripts/bench-logins.ts [--runs 20]
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changeTeamState } from "../agents/access/team-store.js";
import { apiRequestHandler } from "../agents/api/http-handler.js";
import { issueInvite } from "../agents/auth/logins.js";
import { hashPassword, verifyPassword } from "../agents/auth/passwords.js";

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1]) || 20;
const PASSWORD = "correct horse battery staple";

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await fn();
		times.push(performance.now() - start);
	}
	return times.sort((a, b) => a - b);
}
const row = (name: string, times: number[]) => console.log(`${name.padEnd(34)} median ${times[Math.floor(times.length / 2)]!.toFixed(1).padStart(7)} ms   p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(1).padStart(7)} ms`);

const stored = await hashPassword(PASSWORD);
row("password check, right password", await timed(() => verifyPassword(stored, PASSWORD)));
row("password check, wrong password", await timed(() => verifyPassword(stored, "not the password at all")));
row("password check, unknown address", await timed(() => verifyPassword(null, PASSWORD)));

const home = await mkdtemp(join(tmpdir(), "bench-logins-"));
const server = createServer(apiRequestHandler({ homeRoot: home, url: () => undefined, log: () => undefined, call: async () => ({ result: [] }) }));
try {
	await changeTeamState(home, (state) => ({
		state: { ...state, teams: [{ name: "acme", createdAt: new Date().toISOString() }], members: [{ id: "carol", fingerprint: null, email: "carol@example.com", addedAt: new Date().toISOString(), lastSeen: null, memberships: [{ team: "acme", role: "member", apps: null, canDeployProduction: false }], publicKey: null }] },
		value: null,
	}));
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
	const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
	const { token } = await issueInvite(home, "carol", 3600, Date.now());
	const accepted = await post("/auth/invite", { token, password: PASSWORD });
	let cookie = accepted.headers.getSetCookie()[0]!.split(";")[0]!;
	const access = ((await accepted.json()) as { result: { accessToken: string } }).result.accessToken;
	row("POST /auth/login (right password)", await timed(async () => (await post("/auth/login", { email: "carol@example.com", password: PASSWORD })).arrayBuffer()));
	row("POST /auth/refresh (rotates)", await timed(async () => {
		const answer = await fetch(`${base}/auth/refresh`, { method: "POST", headers: { cookie, "x-deploy-request": "1" } });
		cookie = answer.headers.getSetCookie()[0]!.split(";")[0]!;
		await answer.arrayBuffer();
	}));
	row("GET /apps with the access token", await timed(async () => (await fetch(`${base}/apps`, { headers: { authorization: `Bearer ${access}` } })).arrayBuffer()));
} finally {
	server.closeAllConnections();
	server.close();
	await rm(home, { recursive: true, force: true });
}
