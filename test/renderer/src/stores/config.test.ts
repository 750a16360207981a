import assert from "node:assert/strict";
import { beforeEach, test } from "vitest";
import { revealKey, useConfig } from "../../../../renderer/src/stores/config.js";
import { fakeBridge } from "../../../helpers/fake-bridge.js";

const config = {
	name: "shop",
	dir: "/srv/shop",
	server: "prod",
	env: [
		{ key: "API_TOKEN", value: "••••••" },
		{ key: "LOG_LEVEL", value: "••••••" },
	],
	domains: ["shop.example.com"],
	generatedUrl: "http://shop.203.0.113.7.sslip.io",
	processes: [],
	install: null,
	build: null,
	warnings: [],
};

beforeEach(() => useConfig.setState({ configs: {}, revealed: {}, revealError: null }));

test("loads an app's config with its values masked, and reveals only the value asked for", async () => {
	const { calls } = fakeBridge({
		"projects.config": () => config,
		"projects.revealEnv": (input) => ({ key: (input as { key: string }).key, value: "tok-123" }),
	});
	await useConfig.getState().load("shop");
	assert.deepEqual(useConfig.getState().configs.shop, { config, loading: false, error: null });
	assert.deepEqual(useConfig.getState().revealed, {});

	await useConfig.getState().reveal("shop", "API_TOKEN");
	assert.deepEqual(useConfig.getState().revealed, { [revealKey("shop", "API_TOKEN")]: "tok-123" });
	assert.deepEqual(calls.at(-1), { method: "projects.revealEnv", input: { name: "shop", key: "API_TOKEN" } });

	useConfig.getState().hide("shop", "API_TOKEN");
	assert.deepEqual(useConfig.getState().revealed, {});
});

test("an error is kept as an envelope for the view", async () => {
	fakeBridge({});
	await useConfig.getState().load("shop");
	assert.equal(useConfig.getState().configs.shop?.error?.code, "UNKNOWN_METHOD");
	await useConfig.getState().reveal("shop", "API_TOKEN");
	assert.equal(useConfig.getState().revealError?.code, "UNKNOWN_METHOD");
	assert.deepEqual(useConfig.getState().revealed, {});
});
