// Issue 17: an API key's scope through the same guard as a member's SSH call (admit), on
// a real team.json in a temp home: each scope allowed and refused per representative
// method, a key for one app blind to another, and every key request audited by its name.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { KeyScope } from "../../../core/protocol/api-keys.js";
import { DeployError } from "../../../core/protocol/errors.js";
import type { MethodName } from "../../../core/protocol/methods.js";
import type { Caller } from "../../../agents/access/caller.js";
import { admit } from "../../../agents/access/guard.js";
import { keyMembership, scopeRoles } from "../../../agents/access/key-scopes.js";
import { type AgentHome, resolveHome } from "../../../agents/home.js";

const keyCaller = (scope: KeyScope, apps: string[] | null = null): Caller => ({
	member: null,
	client: "203.0.113.9",
	key: { name: `k-${scope}`, scope, membership: keyMembership({ team: "acme", scope, apps }) },
});

describe("API key scopes", () => {
	let root: string;
	let home: AgentHome;
	beforeAll(async () => {
		root = await mkdtemp(join(tmpdir(), "deploy-scopes-"));
		home = resolveHome({ DEPLOY_AGENT_HOME: root });
		for (const app of ["shop", "blog"]) await mkdir(join(home.apps, app), { recursive: true });
		const state = { version: 1, teams: [{ name: "acme", createdAt: "2026-12-01T00:00:00Z" }], members: [], apps: { shop: "acme", blog: "acme" } };
		await writeFile(join(root, "team.json"), JSON.stringify(state));
	});
	afterAll(async () => {
		await rm(root, { recursive: true, force: true });
	});

	test("the table: read and deploy are members, write admin, admin owner; only deploy and up deploy production", () => {
		assert.deepEqual(
			Object.entries(scopeRoles).map(([scope, r]) => [scope, r.role, r.canDeployProduction, r.readOnly]),
			[
				["read", "member", false, true],
				["deploy", "member", true, false],
				["write", "admin", true, false],
				["admin", "owner", true, false],
			],
		);
	});

	async function outcome(caller: Caller, method: MethodName, params: Record<string, unknown>): Promise<"ok" | string> {
		try {
			const admitted = await admit(home, caller, method, params);
			await admitted.finish("ok");
			return "ok";
		} catch (error) {
			assert.ok(error instanceof DeployError, String(error));
			assert.equal(error.code, "PERMISSION_DENIED");
			assert.ok(error.hint, `${method}: a refusal has a hint`);
			return error.message;
		}
	}

	const deployShop = { app: { name: "shop" }, manifest: [], commit: null };
	const previewShop = { app: { name: "shop-pr-1", preview: { of: "shop", branch: "x", ttlSeconds: 60 } }, manifest: [], commit: null };
	const cells: [MethodName, Record<string, unknown>, KeyScope[]][] = [
		["ps", {}, ["read", "deploy", "write", "admin"]],
		["logs", { app: "shop" }, ["read", "deploy", "write", "admin"]],
		["env.list", { app: "shop" }, ["read", "deploy", "write", "admin"]],
		["objects.missing", { ids: [] }, ["deploy", "write", "admin"]],
		["deploy", deployShop, ["deploy", "write", "admin"]],
		["deploy", previewShop, ["deploy", "write", "admin"]],
		["rollback", { app: "shop" }, ["deploy", "write", "admin"]],
		["env.change", { app: "shop", set: { A: "1" } }, ["write", "admin"]],
		["env.list", { app: "shop", reveal: true }, ["write", "admin"]],
		["domains.add", { app: "shop", domain: "shop.example.com" }, ["write", "admin"]],
		["audit.list", {}, ["write", "admin"]],
		["keys.create", { name: "x", team: "acme", scope: "read" }, ["admin"]],
		["team.add", { id: "carol", team: "acme", role: "member" }, ["admin"]],
		["team.create", { name: "zeta" }, []],
		["setup", {}, []],
		["api.enable", { domain: "api.example.com" }, []],
	];

	for (const scope of ["read", "deploy", "write", "admin"] as const) {
		test(`scope ${scope}: allowed where the table says, refused elsewhere naming the scope that would do`, async () => {
			for (const [method, params, allowed] of cells) {
				const got = await outcome(keyCaller(scope), method, params);
				if (allowed.includes(scope)) assert.equal(got, "ok", `${scope} ${method}`);
				else assert.match(got, /needs a key of scope (read|deploy|write|admin)|needs the server's owner|has the scope read/, `${scope} ${method}: ${got}`);
			}
		});
	}

	test("a deploy key cannot set env (the hint names write); a read key cannot deploy", async () => {
		assert.match(await outcome(keyCaller("deploy"), "env.change", { app: "shop", set: { A: "1" } }), /app\.env-change on shop needs a key of scope write/);
		assert.match(await outcome(keyCaller("read"), "deploy", deployShop), /the key k-read has the scope read/);
	});

	test("a key for shop is refused blog in the words used for an app that does not exist, and its listings hold shop only", async () => {
		const onlyShop = keyCaller("write", ["shop"]);
		assert.equal(await outcome(onlyShop, "logs", { app: "shop" }), "ok");
		const blog = (await outcome(onlyShop, "logs", { app: "blog" })).replace("blog", "<app>");
		const none = (await outcome(onlyShop, "logs", { app: "nothing-here" })).replace("nothing-here", "<app>");
		assert.equal(blog, none);
		const listing = await admit(home, onlyShop, "ps", {});
		assert.deepEqual(["shop", "blog"].filter(listing.visible), ["shop"]);
	});

	test("every key request is audited with the key's name, reads too; member and fingerprint null", async () => {
		const lines = (await readFile(join(root, "audit.log"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
		const reads = lines.filter((e) => e.method === "ps" && e.key === "k-read");
		assert.ok(reads.length > 0, "a read with a key is in the audit log");
		assert.ok(lines.every((e) => typeof e.key === "string" && e.member === null && e.fingerprint === null && e.client === "203.0.113.9"));
		assert.ok(lines.some((e) => e.key === "k-deploy" && e.method === "env.change" && e.result === "denied"));
	});
});
