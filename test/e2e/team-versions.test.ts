// Issue 16, item 3: a member's key cannot upload or upgrade the agent (its forced command
// runs the installed one), so a member's client may meet another agent version than its
// own, e.g. when the owner has not run `deploy servers upgrade` since a client update.
// The built CLI against a real sshd and agent (./team-server.ts): calls both versions know
// work on; a call the server's agent does not know fails naming both versions and who can
// fix it, and works again once the owner's client has upgraded the agent.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot, runCli } from "../helpers/cli.js";
import { startTeamServer, type TeamServer } from "./team-server.js";

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("a member whose client brings another agent version than the server runs", () => {
	let team: TeamServer;
	let dir: string;
	let current: Buffer;
	const installed = async () => (await readFile(join(team.server.sshd.agentHome, "bin", "agent.sha256"), "utf8")).trim();
	const withBundle = (who: "owner" | "member", bundle: string, args: string[]) =>
		runCli(args, { cwd: team.server.appDir, env: { DEPLOY_HOME: team.homeOf(who), DEPLOY_AGENT_BUNDLE: bundle } });

	beforeAll(async () => {
		team = await startTeamServer();
		dir = await mkdtemp(join(tmpdir(), "deploy-team-versions-"));
		current = await readFile(join(repoRoot, "dist", "agent.mjs"));
	});

	afterAll(async () => {
		await team?.stop();
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	test("another build that speaks the same calls: bob works on, and the server's agent stays as it was", async () => {
		// A client update whose agent differs by a byte: what `servers upgrade` would install, had the owner run it.
		const newer = join(dir, "newer-agent.mjs");
		await writeFile(newer, Buffer.concat([current, Buffer.from("\n// a later build\n")]));
		const before = await installed();
		const me = await withBundle("member", newer, ["whoami", "--json"]);
		assert.equal(me.code, 0, me.stdout + me.stderr);
		assert.equal(me.last.member, "bob");
		const ls = await withBundle("member", newer, ["ls", "--json"]);
		assert.equal(ls.code, 0, ls.stdout + ls.stderr);
		assert.equal(await installed(), before, "a member's client installed its agent");
	});

	test("a call the server's agent does not know: an error naming both versions and the owner's command; it works once the owner upgraded", async () => {
		// An older agent on the server: one that has no `whoami` (the owner's client installs it, as an older client would).
		const older = join(dir, "older-agent.mjs");
		const olderBytes = Buffer.from(current.toString("utf8").replace(/\bwhoami\b/g, "whoam1"));
		await writeFile(older, olderBytes);
		const owner = await withBundle("owner", older, ["ls", "--json"]);
		assert.equal(owner.code, 0, owner.stdout + owner.stderr);
		assert.equal(await installed(), sha(olderBytes));

		const me = await team.cliAs("member", ["whoami", "--json"]);
		assert.equal(me.code, 1, me.stdout + me.stderr);
		const error = me.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "AGENT_VERSION_MISMATCH");
		assert.match(error.message, new RegExp(`version ${sha(olderBytes).slice(0, 12)}\\).*version ${sha(current).slice(0, 12)}\\).*does not know the call whoami`));
		assert.match(error.hint, /Ask the server's owner to run `deploy servers upgrade <name>`/);
		// What both versions know still works.
		const ls = await team.cliAs("member", ["ls", "--json"]);
		assert.equal(ls.code, 0, ls.stdout + ls.stderr);

		// The owner's client (this build) upgrades the agent on its next command; bob's whoami answers again.
		assert.equal((await team.server.cli(["ls", "--json"])).code, 0);
		assert.equal(await installed(), sha(current));
		const again = await team.cliAs("member", ["whoami", "--json"]);
		assert.equal(again.code, 0, again.stdout + again.stderr);
		assert.equal(again.last.member, "bob");
	});
});
