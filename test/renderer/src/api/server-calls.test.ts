// Issue 17, item 4: how the server's dashboard turns the desktop's api calls into the
// agent's methods (renderer/src/api/server-calls.ts): plain data in, plain data out,
// checked by exact equality. The page's host stands for "the server".
import assert from "node:assert/strict";
import { beforeAll, test } from "vitest";
import type { ApiInput, ApiMethod } from "../../../../renderer/src/api/bridge.js";
import { type ServerCall, serverCalls } from "../../../../renderer/src/api/server-calls.js";

beforeAll(() => {
	(globalThis as { location?: unknown }).location = { hostname: "dash.example.test" };
});

function plan<M extends ApiMethod>(method: M, input: ApiInput<M>): ServerCall {
	const mapper = serverCalls[method] as ((input: ApiInput<M>) => ServerCall | { local: unknown }) | undefined;
	assert.ok(mapper, `${method} is mapped`);
	const planned = mapper(input);
	assert.ok(!("local" in planned));
	return planned;
}

const row = (app: string, status: string) => ({ app, status }) as never;

test("the apps are the agent's: one project per app of `ps`, named by itself, on this server", () => {
	const planned = plan("projects.list", undefined);
	assert.equal(planned.method, "ps");
	assert.deepEqual(planned.params, {});
	assert.deepEqual(planned.shape([row("shop", "running"), row("blog", "running"), row("shop", "stopped")] as never), [
		{ name: "blog", dir: "blog", server: "dash.example.test" },
		{ name: "shop", dir: "shop", server: "dash.example.test" },
	]);
});

test("an app's calls name it by its project's `dir` (its name here) and keep the view's options", () => {
	assert.deepEqual(plan("deployments.list", { dir: "shop", server: "dash.example.test", limit: 20 }).params, { app: "shop", limit: 20 });
	assert.deepEqual(plan("logs.read", { dir: "shop", lines: 200, follow: true }).params, { app: "shop", follow: true, lines: 200 });
	assert.deepEqual(plan("deployments.rollback", { dir: "shop", to: "dmx91mxebkvpy" }).params, { app: "shop", to: "dmx91mxebkvpy", wait: true });
	assert.deepEqual(plan("env.unset", { app: "shop", keys: ["A"] }).params, { app: "shop", environment: "production", unset: ["A"], wait: true });
	assert.equal(plan("team.whoami", { server: "dash.example.test" }).method, "whoami");
});

test("env.list: values masked unless revealed, one key when asked for one", () => {
	const listing = { app: "shop", environment: "production", vars: [{ key: "A", value: "1", updatedAt: "t" }, { key: "B", updatedAt: "t" }] };
	const masked = plan("env.list", { app: "shop" }).shape(listing as never) as { vars: unknown[]; server: string };
	assert.deepEqual(masked.vars, [
		{ key: "A", value: "••••••", updatedAt: "t" },
		{ key: "B", value: "••••••", updatedAt: "t" },
	]);
	assert.equal(masked.server, "dash.example.test");
	const one = plan("env.list", { app: "shop", key: "A", reveal: true });
	assert.deepEqual(one.params, { app: "shop", environment: "production", reveal: true });
	assert.deepEqual((one.shape(listing as never) as { vars: unknown[] }).vars, [{ key: "A", value: "1", updatedAt: "t" }]);
});

test("domains.list: the agent's entries in the desktop's shape, with no DNS check from a browser", () => {
	const certificate = { state: "valid" };
	const shaped = plan("domains.list", { dir: "shop" }).shape({ app: "shop", defaultHost: "shop.127.0.0.1.sslip.io", domains: [{ name: "shop.example.com", source: "added", addedAt: "t", certificate }] } as never);
	assert.deepEqual(shaped, {
		app: "shop",
		server: "dash.example.test",
		defaultHost: "shop.127.0.0.1.sslip.io",
		domains: [{ domain: "shop.example.com", unicode: "shop.example.com", source: "added", addedAt: "t", dns: null, certificate }],
	});
});

test("what needs this machine's folders or the server's owner is not offered", () => {
	for (const method of ["deployments.create", "servers.add", "projects.link", "projects.config", "team.add", "keys.create"] as ApiMethod[]) assert.equal(serverCalls[method], undefined, method);
	assert.deepEqual((serverCalls["servers.list"] as () => unknown)(), { local: [] });
});
