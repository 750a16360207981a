// Issue 18: the server without git: `deploy git-remote` is told so, with the fix.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { gitVersion, preReceiveScript } from "../../../agents/git/repository.js";
import { resolveHome } from "../../../agents/home.js";

test("no git on the PATH: GIT_MISSING with how to install it", async () => {
	const empty = await mkdtemp(join(tmpdir(), "no-git-"));
	const path = process.env.PATH;
	process.env.PATH = empty;
	try {
		await assert.rejects(gitVersion(), (error: { code?: string; hint?: string }) => error.code === "GIT_MISSING" && /apt-get install git/.test(error.hint ?? ""));
	} finally {
		process.env.PATH = path;
		await rm(empty, { recursive: true, force: true });
	}
	assert.match(await gitVersion(), /^\d+\.\d+\.\d+$/);
});

test("the hook runs the agent's git-hook for the app, every word quoted", () => {
	const home = resolveHome({ DEPLOY_AGENT_HOME: "/srv/deploy home" });
	assert.equal(
		preReceiveScript(home, "shop", { node: "/srv/deploy home/runtimes/agent/bin/node", agent: "/srv/deploy home/bin/agent.mjs" }).split("\n").at(-2),
		"DEPLOY_AGENT_HOME='/srv/deploy home' exec '/srv/deploy home/runtimes/agent/bin/node' '/srv/deploy home/bin/agent.mjs' git-hook shop",
	);
});
