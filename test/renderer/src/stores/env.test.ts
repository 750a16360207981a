// The Environment view's secrets store, through the renderer's own seam (a fake bridge):
// values stay masked until one is asked for, and a change reloads the list.
import assert from "node:assert/strict";
import { beforeEach, test } from "vitest";
import { secretKey, useEnv } from "../../../../renderer/src/stores/env.js";
import { fakeBridge } from "../../../helpers/fake-bridge.js";

const listing = (vars: { key: string; value: string }[], environment = "production") => ({
	app: "shop",
	server: "prod",
	environment,
	vars: vars.map((v) => ({ ...v, updatedAt: "2026-11-27T07:00:00.000Z" })),
	cached: false,
	fetchedAt: "2026-11-27T07:00:00.000Z",
});

beforeEach(() => useEnv.setState({ environment: "production", lists: {}, revealed: {}, saving: false, lastChange: null, error: null }));

test("lists masked, reveals only the value asked for, hides it again", async () => {
	const { calls } = fakeBridge({
		"env.list": (input) => {
			const { key, reveal } = input as { key?: string; reveal?: boolean };
			return key && reveal ? listing([{ key, value: "tok-123" }]) : listing([{ key: "API_TOKEN", value: "••••••" }, { key: "OTHER", value: "••••••" }]);
		},
	});
	await useEnv.getState().load("shop");
	assert.deepEqual(
		useEnv.getState().lists.shop?.list?.vars.map((v) => v.value),
		["••••••", "••••••"],
	);
	await useEnv.getState().reveal("shop", "API_TOKEN");
	assert.deepEqual(useEnv.getState().revealed, { [secretKey("shop", "production", "API_TOKEN")]: "tok-123" });
	assert.deepEqual(calls.at(-1), { method: "env.list", input: { app: "shop", environment: "production", key: "API_TOKEN", reveal: true } });
	useEnv.getState().hide("shop", "API_TOKEN");
	assert.deepEqual(useEnv.getState().revealed, {});
});

test("set and unset go to the api with the chosen environment, then the list reloads", async () => {
	let vars = [{ key: "A", value: "••••••" }];
	const change = (summary: object) => ({ app: "shop", server: "prod", environment: "preview", summary: { added: [], changed: [], removed: [], unchanged: [], ...summary }, deployment: null });
	const { calls } = fakeBridge({
		"env.list": () => listing(vars, "preview"),
		"env.set": () => {
			vars = [...vars, { key: "B", value: "••••••" }];
			return change({ added: ["B"] });
		},
		"env.unset": () => {
			vars = vars.filter((v) => v.key !== "A");
			return change({ removed: ["A"] });
		},
	});
	useEnv.getState().setEnvironment("preview");
	assert.equal(await useEnv.getState().setVar("shop", "B", "two"), true);
	assert.deepEqual(calls[0], { method: "env.set", input: { app: "shop", environment: "preview", vars: { B: "two" } } });
	assert.deepEqual(
		useEnv.getState().lists.shop?.list?.vars.map((v) => v.key),
		["A", "B"],
	);
	assert.equal(await useEnv.getState().unsetVar("shop", "A"), true);
	assert.deepEqual(calls.at(-2), { method: "env.unset", input: { app: "shop", environment: "preview", keys: ["A"] } });
	assert.deepEqual(
		useEnv.getState().lists.shop?.list?.vars.map((v) => v.key),
		["B"],
	);
	assert.equal(useEnv.getState().saving, false);
});

test("a refused change is kept as an envelope, and nothing is reloaded", async () => {
	const { calls } = fakeBridge({});
	assert.equal(await useEnv.getState().setVar("shop", "B", "two"), false);
	assert.equal(useEnv.getState().error?.code, "UNKNOWN_METHOD");
	assert.equal(calls.length, 1);
});
