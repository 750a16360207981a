// Issue 18, deploys by `git push`, as a user runs them: the built CLI's `deploy git-remote`,
// then real git pushing over a real sshd (test/e2e/server.ts) to the app's repository on
// the "server", whose pre-receive hook deploys through the agent and Caddy on 127.0.0.1.
// No name resolves to 127.0.0.1 here: requests carry the host name in the Host header.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";
import { gitOverSsh } from "../helpers/git.js";

interface Row {
	id: string;
	app: string;
	status: string;
	source?: string;
	commit: string | null;
	branch?: string;
	message?: string;
}

/** The pids of the pre-receive hooks of one agent home (their command line names its agent.mjs). */
function hookPids(agentHome: string): number[] {
	return readdirSync("/proc")
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
				return argv.includes("git-hook") && argv.some((arg) => arg.startsWith(agentHome));
			} catch {
				return false;
			}
		})
		.map(Number);
}

describe("git push deploys", () => {
	let server: TestServer;
	const sslip = (name: string) => `${name}.127.0.0.1.sslip.io`;
	const answer = (host: string) => httpGet(server.httpPort, host);
	/** git as the user runs it, with the test server's key (a user's ~/.ssh/config would name it). */
	const git = (...args: string[]) => gitOverSsh(server.appDir, server.sshd.identityFile)(...args);
	const setMessage = async (text: string) => {
		const file = join(server.appDir, "server.js");
		await writeFile(file, (await readFile(file, "utf8")).replace(/const message = ".*";/, `const message = "${text}";`));
	};
	const ls = async (app = "hello") => {
		const run = await server.cli(["ls", "--app", app, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return JSON.parse(run.stdout) as Row[];
	};
	const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
		const deadline = Date.now() + timeoutMs;
		while (!(await check())) {
			if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
			await sleep(200);
		}
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "hello");
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("deploy git-remote outside a git repository says so with the fix, and makes nothing on the server", async () => {
		const dir = await mkdtemp(join(tmpdir(), "deploy-not-git-"));
		try {
			await cp(server.appDir, dir, { recursive: true, filter: (path) => !path.includes(".git") });
			const run = await server.cli(["git-remote"], dir);
			assert.equal(run.code, 1, run.stderr);
			assert.match(run.stderr, /is not in a git repository/);
			assert.match(run.stderr, /git init/);
			assert.equal(existsSync(join(server.sshd.agentHome, "git")), false);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	test("deploy git-remote adds the remote `deploy`; git push deploy main makes the commit live, and deploy ls says it came from the push", async () => {
		const remote = await server.cli(["git-remote", "--json"]);
		assert.equal(remote.code, 0, remote.stderr + remote.stdout);
		const url = (await git("remote", "get-url", "deploy")).stdout.trim();
		assert.equal(url, `ssh://${server.sshd.user}@127.0.0.1:${server.sshd.port}${join(server.sshd.agentHome, "git", "hello.git")}`);
		assert.equal(remote.last.url, url);

		await setMessage("Hello from a push");
		await git("commit", "-q", "-am", "Say hello from a push");
		const push = await git("push", "deploy", "main");
		assert.equal(push.exitCode, 0, push.all);
		// The deploy's output is the push's remote output.
		assert.match(push.all ?? "", /remote: =====> refs\/heads\/main: hello d[0-9a-z]+ is live at http:\/\//);
		assert.equal((await answer(sslip("hello"))).body, "Hello from a push\n");

		const head = (await git("rev-parse", "HEAD")).stdout.trim();
		const [newest] = await ls();
		assert.deepEqual({ status: newest?.status, source: newest?.source, commit: newest?.commit, branch: newest?.branch, message: newest?.message }, { status: "live", source: "push", commit: head, branch: "main", message: "Say hello from a push" });
		const table = await server.cli(["ls", "--app", "hello"]);
		assert.match(table.stdout, new RegExp(`push\\s+${head.slice(0, 7)}`));
	});

	test("a push whose build fails is rejected with the build's last lines, and the old version still answers", async () => {
		const pkg = join(server.appDir, "package.json");
		const original = await readFile(pkg, "utf8");
		const manifest = JSON.parse(original);
		manifest.scripts.build = "echo compiling && echo 'error: the widget is broken' >&2 && exit 3";
		await writeFile(pkg, JSON.stringify(manifest, null, 2));
		await setMessage("Hello from a broken build");
		await git("commit", "-q", "-am", "Break the build");
		const before = (await git("ls-remote", "deploy", "refs/heads/main")).stdout;
		const push = await git("push", "deploy", "main");
		assert.notEqual(push.exitCode, 0, push.all);
		assert.match(push.all ?? "", /remote: .*error: the widget is broken/);
		assert.match(push.all ?? "", /remote: !!!!!> BUILD_FAILED/);
		assert.match(push.all ?? "", /pre-receive hook declined/);
		assert.equal((await answer(sslip("hello"))).body, "Hello from a push\n");
		// The branch on the server is still the commit that deployed.
		assert.equal((await git("ls-remote", "deploy", "refs/heads/main")).stdout, before);
		assert.equal((await ls())[0]?.status, "failed");
		// Fixed again for the tests below.
		await writeFile(pkg, original);
		await setMessage("Hello from a push");
		await git("commit", "-q", "-am", "Fix the build");
	});

	test("a branch push is a preview at its own URL while production is unchanged; deleting the branch removes the preview", async () => {
		await git("checkout", "-q", "-b", "feature/login");
		await setMessage("Hello from the login branch");
		await git("commit", "-q", "-am", "Login text");
		const push = await git("push", "deploy", "feature/login");
		assert.equal(push.exitCode, 0, push.all);
		assert.match(push.all ?? "", /feature-login-hello d[0-9a-z]+ is live at http:\/\/feature-login-hello\.127\.0\.0\.1\.sslip\.io/);
		assert.equal((await answer(sslip("feature-login-hello"))).body, "Hello from the login branch\n");
		assert.equal((await answer(sslip("hello"))).body, "Hello from a push\n");
		const [preview] = await ls("feature-login-hello");
		assert.deepEqual({ source: preview?.source, branch: preview?.branch, message: preview?.message }, { source: "push", branch: "feature/login", message: "Login text" });

		const removal = await git("push", "deploy", ":feature/login");
		assert.equal(removal.exitCode, 0, removal.all);
		assert.match(removal.all ?? "", /preview feature-login-hello of branch feature\/login removed/);
		assert.equal((await answer(sslip("feature-login-hello"))).status, 404);
		assert.equal((await answer(sslip("hello"))).body, "Hello from a push\n");
		await git("checkout", "-q", "main");
	});

	test("git push -o detach returns with the deployment's id before the build ends; the deployment then finishes", async () => {
		// The build waits for this server's answer, which the test gives only once the push has returned.
		const { release, close } = await holdBuild(server.appDir);
		try {
			await setMessage("Hello from a detached push");
			await git("commit", "-q", "-am", "Detached");
			const push = await git("push", "-o", "detach", "deploy", "main");
			assert.equal(push.exitCode, 0, push.all);
			const id = /deploying (d[0-9a-z]+) in the background/.exec(push.all ?? "")?.[1];
			assert.ok(id, push.all);
			const row = (await ls()).find((r) => r.id === id);
			assert.ok(row && ["building", "deploying"].includes(row.status), `status when the push returned: ${row?.status}`);
			assert.equal((await answer(sslip("hello"))).body, "Hello from a push\n");
			assert.match(push.all ?? "", new RegExp(`deploy logs --build ${id} -f`));
			// Its progress: the build's output as it comes, until the deployment ends.
			const logins = server.sshd.logins();
			const follow = server.cli(["logs", "--build", id, "-f"]);
			await eventually("the follow has logged in", async () => server.sshd.logins() > logins);
			release();
			const followed = await follow;
			assert.equal(followed.code, 0, followed.stderr);
			assert.match(followed.stdout, /^go$/m);
			assert.match(followed.stderr, new RegExp(`Deployment ${id} of hello: live`));
			assert.equal((await answer(sslip("hello"))).body, "Hello from a detached push\n");
		} finally {
			close();
		}
	});

	test("deploy redeploy makes a new release of the same commit from the caches, with new instances", async () => {
		const before = (await ls())[0]!;
		const pids = async () => (JSON.parse((await server.cli(["ps", "--json"])).stdout) as { pid: number | null }[]).map((i) => i.pid);
		const old = await pids();
		// The build of that commit waits for the gate of the test above, closed now: only a build-cache hit gets past it.
		const run = await server.cli(["redeploy", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const record = run.last as unknown as Row & { cache?: { install: string; build: string } };
		assert.notEqual(record.id, before.id);
		assert.deepEqual({ status: record.status, commit: record.commit, source: record.source, message: record.message, build: record.cache?.build }, { status: "live", commit: before.commit, source: "push", message: "Detached", build: "hit" });
		assert.notEqual(record.cache?.install, "miss");
		assert.equal((await answer(sslip("hello"))).body, "Hello from a detached push\n");
		// The old instances drain, and the new release's answer.
		await eventually("only new instances run", async () => {
			const now = await pids();
			return now.length > 0 && now.every((pid) => !old.includes(pid));
		});
	});

	test("a push whose SSH session dies mid-build: the deploy goes on in the agent and goes live", async () => {
		const { release, close } = await holdBuild(server.appDir);
		try {
			await setMessage("Hello from an interrupted push");
			await git("commit", "-q", "-am", "Interrupted");
			const newestBefore = (await ls())[0]?.id;
			// git and its ssh in a process group of their own, killed together as a closed laptop would end them.
			const push = execa("git", ["push", "deploy", "main"], {
				cwd: server.appDir,
				reject: false,
				detached: true,
				env: { GIT_SSH_COMMAND: `ssh -i ${server.sshd.identityFile} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR` },
			});
			await eventually("the pushed commit is building", async () => {
				const newest = (await ls())[0];
				return newest !== undefined && newest.id !== newestBefore && newest.status === "building";
			});
			process.kill(-push.pid!, "SIGKILL");
			const ended = await push;
			assert.equal(ended.signal, "SIGKILL");
			// The server's side of the session too: the hook (this test's agent home's `git-hook`), killed by its pid.
			const hooks = hookPids(server.sshd.agentHome);
			assert.ok(hooks.length > 0, "the hook still runs");
			for (const pid of hooks) process.kill(pid, "SIGKILL");
			release();
			await eventually("the deployment of the interrupted push is live", async () => (await ls())[0]?.status === "live");
			const [newest] = await ls();
			assert.deepEqual({ source: newest?.source, message: newest?.message }, { source: "push", message: "Interrupted" });
			assert.equal((await answer(sslip("hello"))).body, "Hello from an interrupted push\n");
		} finally {
			close();
		}
	});
});

/**
 * Makes the app's build wait for a local HTTP answer that `release` gives: the test acts
 * while the build is held. `close` releases it and stops the server.
 */
async function holdBuild(appDir: string): Promise<{ release: () => void; close: () => void }> {
	let release: () => void = () => undefined;
	const released = new Promise<void>((resolve) => {
		release = resolve;
	});
	const gate: Server = createServer((_request, response) => {
		void released.then(() => response.end("go\n"));
	});
	await new Promise<void>((resolve) => gate.listen(0, "127.0.0.1", resolve));
	const port = (gate.address() as { port: number }).port;
	const pkg = join(appDir, "package.json");
	const manifest = JSON.parse(await readFile(pkg, "utf8"));
	manifest.scripts.build = `node -e "fetch('http://127.0.0.1:${port}/').then((r) => r.text()).then(console.log)"`;
	await writeFile(pkg, JSON.stringify(manifest, null, 2));
	return {
		release,
		close: () => {
			release();
			gate.closeAllConnections();
			gate.close();
		},
	};
}
