// Issue 18: a team member's `git push`, through the member's own key and sshd's forced
// command (test/e2e/team-server.ts: bob is a member of team acme, given the app hello,
// without --can-deploy-production). The role table decides each deploy of the push, as
// for a deploy from bob's CLI: a preview branch is his to push, production is not, and
// the refusal is in the push's output.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startTeamServer, type TeamServer, type Who } from "./team-server.js";
import { gitOverSsh } from "../helpers/git.js";

describe("a member's git push", () => {
	let team: TeamServer;
	const sslip = (name: string) => `${name}.127.0.0.1.sslip.io`;
	const answer = (host: string) => httpGet(team.server.httpPort, host);
	const git = (who: Who, ...args: string[]) => gitOverSsh(team.server.appDir, team.keys[who])(...args);
	const setMessage = async (text: string) => {
		const file = join(team.server.appDir, "server.js");
		await writeFile(file, (await readFile(file, "utf8")).replace(/const message = ".*";/, `const message = "${text}";`));
	};

	beforeAll(async () => {
		team = await startTeamServer();
		await git("owner", "init", "-q", "-b", "main");
		await git("owner", "add", ".");
		await git("owner", "commit", "-q", "-m", "hello");
		// The repository is the owner's to make (an admin's would do too).
		const remote = await team.server.cli(["git-remote"]);
		assert.equal(remote.code, 0, remote.stderr);
	});

	afterAll(async () => {
		await team?.stop();
	});

	test("bob may push a preview branch: it answers at its URL", async () => {
		await git("member", "checkout", "-q", "-b", "bob/idea");
		await setMessage("Hello from bob's branch");
		await git("member", "commit", "-q", "-am", "Bob's idea");
		const push = await git("member", "push", "deploy", "bob/idea");
		assert.equal(push.exitCode, 0, push.all);
		assert.equal((await answer(sslip("bob-idea-hello"))).body, "Hello from bob's branch\n");
	});

	test("bob's push to main is refused with the reason in the push output; production and the server's branch are unchanged", async () => {
		const before = (await answer(sslip("hello"))).body;
		const remoteMain = (await git("owner", "ls-remote", "deploy", "refs/heads/main")).stdout;
		const push = await git("member", "push", "deploy", "bob/idea:main");
		assert.notEqual(push.exitCode, 0, push.all);
		assert.match(push.all ?? "", /remote: !!!!!> PERMISSION_DENIED: app\.deploy on hello needs the role admin \(or a member given --can-deploy-production\); bob is member in team acme/);
		assert.match(push.all ?? "", /deploy team set bob --role admin/);
		assert.equal((await answer(sslip("hello"))).body, before);
		assert.equal((await git("owner", "ls-remote", "deploy", "refs/heads/main")).stdout, remoteMain);
		// The refusal is in the audit log, as bob's.
		const audit = (await readFile(join(team.server.sshd.agentHome, "audit.log"), "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { member: string | null; action: string; result: string; app: string | null });
		assert.ok(audit.some((e) => e.member === "bob" && e.action === "app.deploy" && e.app === "hello" && e.result === "denied"));
	});

	test("bob's key runs git-receive-pack on the agent's repositories only", async () => {
		const outside = await team.ssh("member", [], ["git-receive-pack", `'${team.server.sshd.agentHome}'`]);
		assert.notEqual(outside.code, 0);
		assert.match(outside.stderr, /PERMISSION_DENIED/);
		const around = await team.ssh("member", [], ["git-receive-pack", `'${join(team.server.sshd.agentHome, "git", "..", "git", "hello.git", "..")}'`]);
		assert.notEqual(around.code, 0);
		assert.match(around.stderr, /PERMISSION_DENIED/);
	});
});
