// Issue 18, items 1, 3 and 4: what a push deploys is the pushed commit's own: its
// deploy.yaml (checked with the CLI's validation; an invalid one rejects the push with the
// key's line) and its .deployignore; a push of several branches decides each one, says
// which went live and which failed, and prints a failed build's lines once; its submodules
// are fetched by the server (item 7). Real git over the real sshd (test/e2e/server.ts), the
// agent and Caddy on 127.0.0.1; `git daemon` on 127.0.0.1 stands for the submodule's forge.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type GitDaemon, startGitDaemon } from "../helpers/git-daemon.js";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";
import { gitOverSsh } from "../helpers/git.js";

/** Answers with GREETING, which only deploy.yaml's `env:` sets. */
const SERVER_JS = `import { createServer } from "node:http";
createServer((request, response) => response.end(\`\${process.env.GREETING ?? "no greeting"}\\n\`)).listen(Number(process.env.PORT), process.env.HOST);
process.on("SIGTERM", () => process.exit(0));
`;

describe("a push deploys the commit's own deploy.yaml and .deployignore", () => {
	let server: TestServer;
	const sslip = (name: string) => `${name}.127.0.0.1.sslip.io`;
	const answer = async (host: string) => (await httpGet(server.httpPort, sslip(host))).body;
	const git = (...args: string[]) => gitOverSsh(server.appDir, server.sshd.identityFile)(...args);
	const write = (path: string, text: string) => writeFile(join(server.appDir, path), text);
	const serverBranch = async (branch: string) => (await git("ls-remote", "deploy", `refs/heads/${branch}`)).stdout;

	beforeAll(async () => {
		server = await startTestServer("hello");
		await write("server.js", SERVER_JS);
		await write("deploy.yaml", "app: hello\nenv:\n  GREETING: sent by git-remote\n");
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "hello");
		const remote = await server.cli(["git-remote"]);
		assert.equal(remote.code, 0, remote.stderr + remote.stdout);
		const push = await git("push", "deploy", "main");
		assert.equal(push.exitCode, 0, push.all);
		assert.equal(await answer("hello"), "sent by git-remote\n");
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("a changed deploy.yaml is deployed without running git-remote again; .deployignore's files stay off the server", async () => {
		await write("deploy.yaml", "app: hello\nenv:\n  GREETING: from the pushed commit\n");
		await mkdir(join(server.appDir, "design"));
		await write("design/mockup.txt", "not for the server\n");
		await write(".deployignore", "design/\n");
		await git("add", ".");
		await git("commit", "-q", "-m", "New greeting, design files");
		const push = await git("push", "deploy", "main");
		assert.equal(push.exitCode, 0, push.all);
		assert.equal(await answer("hello"), "from the pushed commit\n");
		assert.match(push.all ?? "", /1 left out by \.deployignore/);
		const id = /hello (d[0-9a-z]+) is live/.exec(push.all ?? "")?.[1];
		assert.ok(id, push.all);
		const release = join(server.sshd.agentHome, "apps", "hello", "releases", id);
		assert.ok(existsSync(join(release, "server.js")), `the release ${release} has the app`);
		assert.equal(existsSync(join(release, "design")), false);
	});

	test("an invalid deploy.yaml rejects the push with the schema's message and its line; the live version still answers", async () => {
		const before = await serverBranch("main");
		await write("deploy.yaml", "app: hello\nenv:\n  GREETING: never deployed\nprocesses:\n  web:\n    instances: 0\n");
		await git("commit", "-q", "-am", "Zero instances");
		const push = await git("push", "deploy", "main");
		assert.notEqual(push.exitCode, 0, push.all);
		assert.match(push.all ?? "", /remote: !!!!!> CONFIG_INVALID: deploy\.yaml in commit [0-9a-f]{12} is not valid/);
		assert.match(push.all ?? "", /deploy\.yaml:6:5 processes\/web\/instances: must be at least 1/);
		assert.match(push.all ?? "", /pre-receive hook declined/);
		assert.equal(await answer("hello"), "from the pushed commit\n");
		assert.equal(await serverBranch("main"), before);
		await write("deploy.yaml", "app: hello\nenv:\n  GREETING: from the pushed commit\n");
		await git("commit", "-q", "-am", "One instance again");
	});

	test("a push of two branches: the good one goes live, the failed one is named with its build's lines once, and the push is rejected", async () => {
		const before = await serverBranch("main");
		await write("deploy.yaml", "app: hello\nenv:\n  GREETING: main of the two-branch push\n");
		await git("commit", "-q", "-am", "Main's greeting");
		await git("checkout", "-q", "-b", "broken");
		const pkg = JSON.parse(await readFile(join(server.appDir, "package.json"), "utf8"));
		pkg.scripts.build = "echo 'error: the widget is broken' >&2 && exit 3";
		await write("package.json", JSON.stringify(pkg, null, 2));
		await git("commit", "-q", "-am", "Break the build");
		await git("checkout", "-q", "main");

		const push = await git("push", "deploy", "main", "broken");
		const output = push.all ?? "";
		assert.notEqual(push.exitCode, 0, output);
		assert.match(output, /remote: =====> refs\/heads\/main: hello d[0-9a-z]+ is live/);
		assert.match(output, /remote: =====> refs\/heads\/broken: failed \(deployment d[0-9a-z]+ of broken-hello\)/);
		assert.match(output, /remote: !!!!!> BUILD_FAILED/);
		assert.match(output, /remote: !!!!!> the push is rejected: refs\/heads\/broken failed, and git accepts all of a push's branches or none/);
		assert.match(output, /remote: !!!!!> done and kept: refs\/heads\/main \(hello d[0-9a-z]+\)/);
		// The build's line, streamed as it came, is not printed again with the error.
		assert.equal(output.split("\n").filter((line) => /^remote: +error: the widget is broken\s*$/.test(line)).length, 1, output);
		// main's deploy is live though git moved no branch.
		assert.equal(await answer("hello"), "main of the two-branch push\n");
		assert.equal(await serverBranch("main"), before);
		assert.equal(await serverBranch("broken"), "");
	});

	test("a submodule is fetched by the server at its pinned commit, and the app sees its files; one the server cannot reach rejects the push, named", async () => {
		const forge = await mkdtemp(join(tmpdir(), "deploy-push-forge-"));
		let daemon: GitDaemon | undefined;
		try {
			// The library's repository on the "forge".
			const lib = join(forge, "work");
			await mkdir(lib);
			const inLib = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: lib });
			await inLib("init", "-q", "-b", "main");
			await writeFile(join(lib, "greeting.txt"), "from the submodule");
			await inLib("add", ".");
			await inLib("commit", "-q", "-m", "lib");
			await execa("git", ["clone", "-q", "--bare", lib, join(forge, "lib.git")]);
			daemon = await startGitDaemon(forge);

			await git("submodule", "add", "-q", daemon.url("lib.git"), "vendor/lib");
			await write("server.js", SERVER_JS.replace('process.env.GREETING ?? "no greeting"', 'readFileSync(new URL("./vendor/lib/greeting.txt", import.meta.url), "utf8")').replace("import {", 'import { readFileSync } from "node:fs";\nimport {'));
			await git("add", ".");
			await git("commit", "-q", "-m", "Greeting from a submodule");
			const push = await git("push", "deploy", "main");
			assert.equal(push.exitCode, 0, push.all);
			assert.match(push.all ?? "", new RegExp(`remote: +submodule vendor/lib: ${daemon.url("lib.git").replace(/[.]/g, "\\.")} at [0-9a-f]{12}`));
			assert.equal(await answer("hello"), "from the submodule\n");
			assert.match(daemon.log(), /upload-pack/i, "the server fetched it from the forge");

			// A submodule whose forge the server cannot reach: the push is rejected, naming it and saying why.
			const before = await serverBranch("main");
			await git("config", "-f", ".gitmodules", "submodule.vendor/lib.url", "git://127.0.0.1:1/gone.git");
			await git("commit", "-q", "-am", "The library moved away");
			const refused = await git("push", "deploy", "main");
			assert.notEqual(refused.exitCode, 0, refused.all);
			assert.match(refused.all ?? "", /remote: !!!!!> SUBMODULE_FAILED: The submodule vendor\/lib could not be fetched from git:\/\/127\.0\.0\.1:1\/gone\.git/);
			assert.match(refused.all ?? "", /must be reachable from the server/);
			assert.equal(await answer("hello"), "from the submodule\n");
			assert.equal(await serverBranch("main"), before);
		} finally {
			daemon?.stop();
			await rm(forge, { recursive: true, force: true });
		}
	});
});
