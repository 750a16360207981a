// Issue 16: the role table, cell by cell, against the real agent behind a real sshd: each
// method called with the key of the server's owner, of alice (admin of team acme) and of
// bob (member of acme, given the app hello). The members' keys go through sshd's forced
// command, as they would from their own machines. An allowed cell gets past the check (an
// answer, or an error of the method's own); a refused one is PERMISSION_DENIED, naming the
// role that would allow it, is audited, and leaves the server's files as they were.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { deflateRawSync } from "node:zlib";
import { DeployError, type MethodName, methods } from "../../../core/protocol/index.js";
import { packObjects } from "../../../core/protocol/object-batch.js";
import type { RpcClient } from "../../../core/rpc/client.js";
import { startTeamServer, type TeamServer } from "../../e2e/team-server.js";

const SECRET = "sup3r-s3cret-value-4bd1";
const blobId = (content: string) => createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0${content}`).digest("hex");

type Caller = "owner" | "admin" | "member";
interface Cell {
	method: MethodName;
	params: Record<string, unknown>;
	/** Who gets past the check; the server's owner always does. */
	allowed: Caller[];
	/** A call that streams until cancelled. */
	stream?: boolean;
	/** Not run with the owner's key: allowed, it would change the server for the cells after it. */
	noOwner?: boolean;
	bytes?: Buffer;
}

describe("the role table: every method, each role", () => {
	let team: TeamServer;
	let live: string;
	let setup: unknown;
	const rpc = {} as Record<Caller, { rpc: RpcClient; close(): Promise<void> }>;
	const auditLines = async () => (await readFile(join(team.server.sshd.agentHome, "audit.log"), "utf8")).trim().split("\n");

	beforeAll(async () => {
		team = await startTeamServer();
		live = (JSON.parse((await team.server.cli(["ls", "--app", "hello", "--json"])).stdout) as { id: string }[])[0]!.id;
		rpc.admin = await team.rpcAs("admin");
		rpc.member = await team.rpcAs("member");
		rpc.owner = await team.rpcAs("owner");
		setup = (await rpc.owner.rpc.call("hello", { client: "test" })).setup;
	});

	afterAll(async () => {
		for (const link of Object.values(rpc)) await link.close();
		await team?.stop();
	});

	const both: Caller[] = ["owner", "admin", "member"];
	const admins: Caller[] = ["owner", "admin"];
	const owner: Caller[] = ["owner"];
	const cells = (): Cell[] => [
		{ method: "hello", params: { client: "test" }, allowed: both },
		{ method: "status", params: {}, allowed: both },
		{ method: "whoami", params: {}, allowed: both },
		{ method: "team.ls", params: {}, allowed: both },
		{ method: "doctor", params: {}, allowed: admins },
		{ method: "setup", params: setup as Record<string, unknown>, allowed: owner },
		{ method: "objects.missing", params: { ids: [blobId("x\n")] }, allowed: both },
		{ method: "objects.put", params: packObjects([{ id: blobId("x\n"), size: 2 }], deflateRawSync("x\n").toString("base64")), allowed: both },
		{ method: "objects.write", params: { id: blobId("y\n"), size: 2, offset: 0 }, bytes: Buffer.from("y\n"), allowed: both },
		// A redeploy naming a spec the agent never had: past the check it fails on its own (SPEC_UNKNOWN), changing nothing.
		{ method: "deploy", params: { specRef: { app: "hello", hash: "0".repeat(64) }, manifestDiff: { base: live, hash: "0".repeat(64), changed: [], removed: [] }, commit: null }, allowed: admins },
		// A spec that calls another team's production app "a preview of hello": judged as that app, not as a preview.
		{ method: "deploy", params: { app: { name: "other", preview: { of: "hello", branch: "x", ttlSeconds: 3600 } }, manifest: [], commit: null }, allowed: owner, noOwner: true },
		{ method: "rollback", params: { app: "hello", to: "d000000000" }, allowed: admins },
		{ method: "cancel", params: { app: "hello" }, allowed: admins },
		{ method: "deployments.remove", params: { id: live }, allowed: admins },
		{ method: "scale", params: { app: "hello", processes: { web: 1 } }, allowed: admins },
		{ method: "cache.clear", params: { app: "hello" }, allowed: admins },
		{ method: "cache.clear", params: {}, allowed: owner },
		{ method: "ps", params: {}, allowed: both },
		{ method: "ps", params: { app: "hello" }, allowed: both },
		{ method: "ps", params: { app: "other" }, allowed: owner },
		{ method: "events", params: { app: "hello" }, allowed: both, stream: true },
		{ method: "events", params: { app: "other" }, allowed: owner, stream: true },
		{ method: "deployments.list", params: {}, allowed: both },
		{ method: "deployments.log", params: { app: "hello" }, allowed: both },
		{ method: "deployments.log", params: { app: "other" }, allowed: owner },
		{ method: "logs", params: { app: "hello", lines: 5 }, allowed: both },
		{ method: "logs", params: { app: "other", lines: 5 }, allowed: owner },
		{ method: "domains.list", params: { app: "hello" }, allowed: both },
		{ method: "domains.add", params: { app: "hello", domain: "shop.127.0.0.1.sslip.io" }, allowed: admins },
		{ method: "domains.remove", params: { app: "hello", domain: "shop.127.0.0.1.sslip.io" }, allowed: admins },
		{ method: "env.list", params: { app: "hello" }, allowed: both },
		{ method: "env.list", params: { app: "hello", reveal: true }, allowed: admins },
		{ method: "env.change", params: { app: "hello", set: { SECRET_KEY: SECRET } }, allowed: admins },
		{ method: "autoscale.status", params: {}, allowed: both },
		{ method: "autoscale.log", params: { app: "hello" }, allowed: both },
		{ method: "metrics.get", params: {}, allowed: both },
		{ method: "metrics.alerts", params: {}, allowed: both },
		{ method: "audit.list", params: {}, allowed: admins },
		{ method: "team.create", params: { name: "zeta" }, allowed: owner },
		{ method: "team.add", params: { id: "carol", team: "acme", role: "member", publicKey: "" }, allowed: owner },
		{ method: "team.set", params: { id: "carol", role: "admin" }, allowed: owner },
		// Issue 17: an invite to a member's login is an owner's of their team, as adding them is.
		{ method: "team.invite", params: { id: "carol", team: "acme" }, allowed: owner },
		{ method: "team.rm", params: { id: "carol" }, allowed: owner },
		// Issue 17: a team's owner manages its API keys (here only the server's owner owns acme); the HTTPS API is the server's owner's.
		{ method: "keys.create", params: { name: "ci-test", team: "acme", scope: "read" }, allowed: owner },
		{ method: "keys.ls", params: {}, allowed: owner },
		{ method: "keys.revoke", params: { name: "ci-test", team: "acme" }, allowed: owner },
		{ method: "api.status", params: {}, allowed: both },
		{ method: "api.enable", params: { domain: "api.example.test" }, allowed: owner, noOwner: true },
		{ method: "api.disable", params: {}, allowed: owner },
		{ method: "api.dashboard", params: { files: [{ path: "index.html", id: "0".repeat(40) }] }, allowed: owner },
		// Issue 18: making an app's repository is an admin's; a push is checked per deploy it makes (a tag deploys nothing).
		{ method: "git.remote", params: { app: { name: "hello" } }, allowed: admins },
		{ method: "redeploy", params: { app: "hello" }, allowed: admins },
		{ method: "git.receive", params: { app: "hello", updates: [{ old: "0".repeat(40), new: "1".repeat(40), ref: "refs/tags/v1" }], objects: null }, allowed: both },
		// Issue 18, items 2 and 3: a hook deploys the app, so adding or removing one is an admin's; a delivery runs as an admin of the app's team.
		{ method: "hooks.add", params: { app: { name: "hello" }, forge: "github", repo: "https://github.com/acme/hello.git" }, allowed: admins },
		{ method: "hooks.list", params: { app: "hello" }, allowed: both },
		// An unknown hook: only the server's owner learns that it is unknown; anyone else is refused without learning whether it exists.
		{ method: "hooks.remove", params: { id: "hk_0123456789abcdef" }, allowed: owner },
		{ method: "hooks.deliveries", params: { app: "hello" }, allowed: both },
		{ method: "hooks.deliver", params: { app: "hello", hook: "hk_0123456789abcdef", ref: "refs/tags/v1", before: "0".repeat(40), after: "1".repeat(40) }, allowed: admins },
		// shutdown: refused to both members here; the owner's cell is the bridge's own upgrade path (agents/bridge/connect.ts), not called here.
		{ method: "shutdown", params: {}, allowed: [] },
	];

	/** The state's hash once two readings a second apart agree. */
	async function settledHash(): Promise<string> {
		let last = await team.stateHash();
		for (let i = 0; i < 30; i++) {
			await sleep(1000);
			const now = await team.stateHash();
			if (now === last) return now;
			last = now;
		}
		return last;
	}

	async function call(who: Caller, cell: Cell): Promise<{ ok: true; result: unknown } | { ok: false; error: DeployError }> {
		const client = rpc[who].rpc;
		const abort = new AbortController();
		if (cell.stream) setTimeout(() => abort.abort(), 1500);
		try {
			const result = cell.bytes ? await client.callWithBytes(cell.method as "objects.write", cell.params as never, Buffer.from(cell.bytes)) : await client.call(cell.method, cell.params as never, { signal: abort.signal });
			return { ok: true, result };
		} catch (error) {
			assert.ok(error instanceof DeployError, String(error));
			return { ok: false, error };
		}
	}

	test("every method of the protocol has its cells here", () => {
		const covered = new Set(cells().map((c) => c.method));
		assert.deepEqual(
			Object.keys(methods).filter((m) => !covered.has(m as MethodName)),
			[],
		);
	});

	for (const who of ["member", "admin", "owner"] as const) {
		test(`${who}: allowed cells pass the check, the others are PERMISSION_DENIED, audited, and change nothing`, async () => {
			const outsiderKey = (await readFile(`${team.keys.outsider}.pub`, "utf8")).trim();
			let dirty = false;
			for (const cell of cells()) {
				if (cell.method === "team.add") cell.params.publicKey = outsiderKey;
				if (who === "owner" && (cell.method === "shutdown" || cell.noOwner)) continue;
				const allowed = who === "owner" || cell.allowed.includes(who);
				const label = `${who} ${cell.method} ${JSON.stringify(cell.params).slice(0, 80)}`;
				// After an allowed change (env.change starts a release whose old instances stop a moment later), the files settle first.
				const before = allowed ? "" : dirty ? await settledHash() : await team.stateHash();
				dirty = allowed;
				const audited = (await auditLines()).length;
				const outcome = await call(who, cell);
				if (allowed) {
					assert.ok(outcome.ok || outcome.error.code !== "PERMISSION_DENIED", `${label}: refused: ${!outcome.ok && outcome.error.message}`);
					// A cell whose params the method rejects proves nothing about the role: it must be a real call.
					assert.ok(outcome.ok || outcome.error.code !== "INVALID_PARAMS", `${label}: ${!outcome.ok && outcome.error.message}`);
					continue;
				}
				assert.ok(!outcome.ok, `${label}: should have been refused`);
				assert.equal(outcome.error.code, "PERMISSION_DENIED", `${label}: ${outcome.error.message}`);
				assert.match(outcome.error.message, /needs the role (member|admin|owner|the server's owner)|is not an app of your team/, label);
				assert.ok(outcome.error.hint, label);
				assert.equal(await team.stateHash(), before, `${label}: the server's files changed`);
				const added = (await auditLines()).slice(audited).map((line) => JSON.parse(line) as { member: string; result: string; method: string });
				assert.deepEqual(
					added.map((e) => [e.member, e.method, e.result]),
					[[who === "admin" ? "alice" : "bob", cell.method, "denied"]],
					label,
				);
			}
		});
	}

	test("a member's listings hold only the apps they were given; another team's app is refused as if it did not exist", async () => {
		const records = await rpc.member.rpc.call("deployments.list", {});
		assert.ok(records.length > 0);
		assert.deepEqual([...new Set(records.map((r) => r.app))], ["hello"]);
		assert.ok((await rpc.owner.rpc.call("deployments.list", {})).some((r) => r.app === "other"));
		const refusal = async (app: string) => (await call("member", { method: "logs", params: { app }, allowed: [] }).then((o) => (o.ok ? null : o.error.message)))?.replace(app, "<app>");
		assert.equal(await refusal("other"), await refusal("no-such-app"));
	});

	test("the audit log holds no secret value: the key of env.change, never its value", async () => {
		const text = await readFile(join(team.server.sshd.agentHome, "audit.log"), "utf8");
		assert.ok(!text.includes(SECRET));
		const changes = text
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { method: string; args: { set?: string[] }; result: string; client: string | null })
			.filter((e) => e.method === "env.change");
		assert.deepEqual(
			changes.map((e) => [e.result, e.args.set]),
			[
				["denied", ["SECRET_KEY"]],
				["ok", ["SECRET_KEY"]],
				["ok", ["SECRET_KEY"]],
			],
		);
		assert.ok(changes.every((e) => e.client === "127.0.0.1"));
	});
});
