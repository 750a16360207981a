import assert from "node:assert/strict";
import { beforeEach, test } from "vitest";
import { useDeployments } from "../../../../renderer/src/stores/deployments.js";
import { NO_PATH_MESSAGE, useDrop } from "../../../../renderer/src/stores/drop.js";
import { useUi } from "../../../../renderer/src/stores/ui.js";
import { fakeBridge, until } from "../../../helpers/fake-bridge.js";

beforeEach(() => {
	useDrop.setState({ message: null });
	useUi.setState({ view: "servers", appDir: null });
});

test("a drop without a path (a browser) says to use the path field or the desktop app, and calls nothing", async () => {
	const { calls } = fakeBridge({});
	assert.equal(await useDrop.getState().dropped(""), null);
	assert.deepEqual(useDrop.getState().message, { tone: "error", text: NO_PATH_MESSAGE });
	assert.deepEqual(calls, []);
});

test("a dropped folder is linked, then deployed, and the Deployments view opens on it", async () => {
	const project = { name: "site", dir: "/home/me/site", server: null };
	const { calls } = fakeBridge({
		"projects.link": () => project,
		"projects.list": () => [project],
		"deployments.create": () => ({ id: "d1", app: "site", status: "live" }),
		"deployments.list": () => [],
	});
	assert.deepEqual(await useDrop.getState().dropped("/home/me/site"), project);
	assert.equal(useUi.getState().view, "deployments");
	assert.equal(useUi.getState().appDir, "/home/me/site");
	await until(() => useDeployments.getState().operations["/home/me/site"]?.running === false);
	assert.deepEqual(calls.slice(0, 2), [
		{ method: "projects.link", input: { dir: "/home/me/site" } },
		{ method: "projects.list", input: undefined },
	]);
	assert.ok(calls.some((call) => call.method === "deployments.create" && (call.input as { dir: string }).dir === "/home/me/site"));
});

test("a folder that is not an app says why", async () => {
	fakeBridge({ "projects.link": () => Promise.reject(Object.assign(new Error("x"), {})) });
	assert.equal(await useDrop.getState().dropped("/tmp/empty"), null);
	assert.match(useDrop.getState().message?.text ?? "", /^\/tmp\/empty was not linked: /);
});
