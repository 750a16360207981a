// Issue 18, items 2 and 3: a GitHub webhook deploys a commit the server fetches, as a user
// sets it up. The built CLI against a real sshd + agent + Caddy with Pebble's certificate
// (test/e2e/tls-server.ts); `git daemon` on 127.0.0.1 stands for GitHub (the one thing not
// here: the forge); the deliveries are built and signed as GitHub documents them and posted
// over HTTPS through Caddy, trusting only Pebble's root. `npm run build` first.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { appendFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request } from "node:https";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { afterAll, beforeAll, describe, test } from "vitest";
import { freePort, httpGet } from "../helpers/net.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

const DOMAIN = "hooks.example.test";
const ZERO = "0".repeat(40);

interface Row {
	id: string;
	app: string;
	status: string;
	source?: string;
	commit: string | null;
	branch?: string;
	message?: string;
	url: string | null;
}

describe("GitHub webhooks deploy the pushed commit, fetched from the repository", () => {
	let server: TlsTestServer;
	let root: string;
	let forge: string;
	let daemon: ChildProcess;
	let daemonLog = "";
	let repoUrl: string;
	let hook: { id: string; secret: string; path: string; url: string };

	const git = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: server.appDir, all: true });
	const head = async () => (await git("rev-parse", "HEAD")).stdout.trim();
	/** What a push to GitHub does here: the commit reaches the forge's repository. */
	const pushToForge = (branch: string) => git("push", "-q", "--force", join(forge, "shop.git"), `HEAD:refs/heads/${branch}`);
	const commitMessage = async (text: string, subject: string) => {
		const file = join(server.appDir, "server.js");
		await writeFile(file, (await readFile(file, "utf8")).replace(/const message = ".*";/, `const message = "${text}";`));
		await git("commit", "-q", "-am", subject);
	};
	const uploadPacks = () => daemonLog.split("\n").filter((l) => /upload-pack/i.test(l)).length;
	/** GitHub's push payload: https://docs.github.com/webhooks/webhook-events-and-payloads#push */
	const pushPayload = (ref: string, before: string, after: string, message: string, deleted = false) =>
		JSON.stringify({ ref, before, after, deleted, created: before === ZERO, repository: { full_name: "acme/shop", clone_url: repoUrl }, head_commit: deleted ? null : { id: after, message } });
	const sign = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

	function deliver(body: string, headers: Record<string, string>, path = hook.path): Promise<{ status: number; json: Record<string, unknown> }> {
		return new Promise((resolve, reject) => {
			const req = request(
				{
					host: "127.0.0.1",
					port: server.httpsPort,
					servername: DOMAIN,
					path,
					method: "POST",
					headers: { host: `${DOMAIN}:${server.httpsPort}`, "content-type": "application/json", "user-agent": "GitHub-Hookshot/test", ...headers },
					ca: root,
					agent: false,
					timeout: 120_000,
				},
				(res) => {
					let text = "";
					res.setEncoding("utf8");
					res.on("data", (chunk) => (text += chunk));
					res.on("end", () => resolve({ status: res.statusCode ?? 0, json: text.trim() ? JSON.parse(text) : {} }));
				},
			);
			req.on("timeout", () => req.destroy(new Error("timed out")));
			req.on("error", reject);
			req.end(body);
		});
	}
	const push = (body: string, event = "push", delivery: string = randomUUID()) => deliver(body, { "x-github-event": event, "x-github-delivery": delivery, "x-hub-signature-256": sign(hook.secret, body) });

	const ls = async (app: string) => {
		const run = await server.cli(["ls", "--app", app, "--json"]);
		expectOk(run);
		return JSON.parse(run.stdout) as Row[];
	};
	const eventually = async (what: string, check: () => Promise<boolean>, timeoutMs = 120_000) => {
		const deadline = Date.now() + timeoutMs;
		while (!(await check())) {
			if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
			await sleep(300);
		}
	};
	const live = async (app: string, id: string) => {
		let row: Row | undefined;
		await eventually(`${id} is live`, async () => {
			row = (await ls(app)).find((r) => r.id === id);
			if (row?.status === "failed") assert.fail(`${id} failed`);
			return row?.status === "live";
		});
		return row!;
	};
	const deliveryLines = async (delivery: string) => {
		const run = await server.cli(["hooks", "deliveries", "--json"]);
		expectOk(run);
		return (JSON.parse(run.stdout) as { delivery: string; result: string; deployment: string | null }[]).filter((d) => d.delivery === delivery);
	};
	const contentOf = async (row: Row) => (await httpGet(server.httpPort, new URL(row.url!).host.split(":")[0]!)).body;

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-hooks-", "shop");
		root = await server.pebble.issuerRoot();
		expectOk(await server.cli(["servers", "api", "enable", "prod", "--domain", DOMAIN, "--json"]));
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "first");
		forge = await mkdtemp(join(tmpdir(), "deploy-hooks-forge-"));
		await execa("git", ["init", "-q", "--bare", join(forge, "shop.git")]);
		await pushToForge("main");
		const port = await freePort();
		daemon = spawn("git", ["daemon", "--export-all", `--base-path=${forge}`, `--port=${port}`, "--listen=127.0.0.1", "--reuseaddr", "--verbose", forge], { stdio: ["ignore", "ignore", "pipe"] });
		daemon.stderr?.on("data", (chunk) => (daemonLog += chunk));
		await eventually("git daemon listens", async () => daemonLog.includes("Ready to rumble"), 10_000);
		repoUrl = `git://127.0.0.1:${port}/shop.git`;
	});

	afterAll(async () => {
		daemon?.kill();
		await server?.stop();
		if (forge) await rm(forge, { recursive: true, force: true });
	});

	test("`hooks add github` prints the payload URL under the API's domain and a secret, once; `hooks ls` never shows the secret", async () => {
		const run = await server.cli(["hooks", "add", "github", "--repo", repoUrl, "--json"]);
		expectOk(run);
		const made = run.last as { hook: { id: string; app: string; productionBranch: string }; secret: string; path: string; url: string };
		assert.equal(made.hook.app, "shop");
		assert.equal(made.hook.productionBranch, "main");
		assert.equal(made.url, `https://${DOMAIN}:${server.httpsPort}/api/v1/hooks/${made.hook.id}`);
		assert.ok(made.secret.length >= 40);
		hook = { id: made.hook.id, secret: made.secret, path: made.path, url: made.url };
		const listed = await server.cli(["hooks", "ls", "--json"]);
		expectOk(listed);
		assert.deepEqual(
			(JSON.parse(listed.stdout) as { id: string }[]).map((h) => h.id),
			[hook.id],
		);
		assert.ok(!listed.stdout.includes(hook.secret));
	});

	test("a forge this version does not know, or a repository that is a local path, is refused with a hint and adds nothing", async () => {
		const forge = await server.cli(["hooks", "add", "bitbucket", "--repo", repoUrl, "--json"]);
		assert.notEqual(forge.code, 0);
		assert.equal((forge.last as { error: { code: string } }).error.code, "BAD_ARGUMENT");
		const local = await server.cli(["hooks", "add", "github", "--repo", "file:///etc", "--json"]);
		assert.notEqual(local.code, 0);
		const error = (local.last as { error: { code: string; message: string; hint: string } }).error;
		assert.equal(error.code, "BAD_ARGUMENT");
		assert.match(error.message, /repository URL/);
		assert.ok(error.hint);
		const listed = await server.cli(["hooks", "ls", "--json"]);
		assert.equal((JSON.parse(listed.stdout) as unknown[]).length, 1);
	});

	test("a wrong or missing signature is 401 and nothing is fetched from the repository", async () => {
		await commitMessage("Hello from the forged push", "forged");
		await pushToForge("main");
		const before = uploadPacks();
		const body = pushPayload("refs/heads/main", ZERO, await head(), "forged");
		const wrong = await deliver(body, { "x-github-event": "push", "x-github-delivery": randomUUID(), "x-hub-signature-256": sign("not the secret", body) });
		assert.equal(wrong.status, 401);
		assert.equal((wrong.json.error as { code: string }).code, "HOOK_SIGNATURE_INVALID");
		const missing = await deliver(body, { "x-github-event": "push", "x-github-delivery": randomUUID() });
		assert.equal(missing.status, 401);
		await sleep(500);
		assert.equal(uploadPacks(), before, daemonLog);
		assert.ok((await ls("shop")).every((r) => r.source !== "webhook"));
	});

	test("a signed push to main deploys that commit as production (source webhook) and the app answers with it; the same delivery again deploys nothing", async () => {
		await commitMessage("Hello from the webhook", "change the greeting");
		const after = await head();
		await pushToForge("main");
		const body = pushPayload("refs/heads/main", ZERO, after, "change the greeting");
		const delivery = randomUUID();
		const fetchesBefore = uploadPacks();
		const answer = await push(body, "push", delivery);
		assert.equal(answer.status, 202, JSON.stringify(answer.json));
		const id = answer.json.deployment as string;
		assert.match(id, /^d/);
		const row = await live("shop", id);
		assert.equal(row.source, "webhook");
		assert.equal(row.commit, after);
		assert.equal(row.branch, "main");
		assert.equal(row.message, "change the greeting");
		assert.match(await contentOf(row), /Hello from the webhook/);
		// The commit came from the forge (the daemon's log shows the fetch the 401 test counts).
		assert.equal(uploadPacks(), fetchesBefore + 1, daemonLog);

		const again = await push(body, "push", delivery);
		assert.equal(again.status, 200);
		assert.equal(again.json.result, "ignored, duplicate");
		assert.equal((await ls("shop")).filter((r) => r.commit === after).length, 1);

		const deliveries = await server.cli(["hooks", "deliveries", "--app", "shop", "--json"]);
		expectOk(deliveries);
		const rows = JSON.parse(deliveries.stdout) as { delivery: string; signatureOk: boolean; deployment: string | null; branch: string | null; result: string; outcome?: { status: string } }[];
		// The answer was "deploying"; the deployment's own result is live.
		assert.deepEqual(
			rows.filter((d) => d.delivery === delivery).map((d) => [d.signatureOk, d.branch, d.deployment, d.result, d.outcome]),
			[[true, "main", id, "deploying", { status: "live" }]],
		);
		assert.ok(rows.some((d) => !d.signatureOk && d.result === "unauthorized"));

		// The deploy ran as the hook, through the guard: the audit log names it.
		const audit = await server.cli(["audit", "--app", "shop", "--json"]);
		expectOk(audit);
		const entries = JSON.parse(audit.stdout) as { key?: string; action: string; method: string; result: string }[];
		assert.deepEqual(
			entries.filter((e) => e.key === `hook:${hook.id}` && e.method === "deploy").map((e) => [e.action, e.result]),
			[["app.deploy", "ok"]],
		);
	});

	test("a push to another branch deploys a preview; deleting the branch removes it", async () => {
		await git("checkout", "-q", "-b", "feature");
		await commitMessage("Hello from the feature branch", "feature work");
		const after = await head();
		await pushToForge("feature");
		const answer = await push(pushPayload("refs/heads/feature", ZERO, after, "feature work"));
		assert.equal(answer.status, 202, JSON.stringify(answer.json));
		assert.equal(answer.json.app, "feature-shop");
		const row = await live("feature-shop", answer.json.deployment as string);
		assert.equal(row.source, "webhook");
		assert.match(await contentOf(row), /Hello from the feature branch/);
		// Production is untouched.
		const production = (await ls("shop")).find((r) => r.app === "shop" && r.status === "live")!;
		assert.match(await contentOf(production), /Hello from the webhook/);

		const removed = await push(pushPayload("refs/heads/feature", after, ZERO, "", true));
		assert.equal(removed.status, 200, JSON.stringify(removed.json));
		assert.equal(removed.json.result, "preview removed");
		const gone = await server.cli(["ls", "--app", "feature-shop", "--json"]);
		assert.ok(gone.code !== 0 || (JSON.parse(gone.stdout) as Row[]).length === 0, gone.stdout);
	});

	test("GitLab (X-Gitlab-Token) and Gitea (X-Gitea-Signature) hooks deploy their pushes; a wrong token or signature is 401", async () => {
		const add = async (forge: string) => {
			const run = await server.cli(["hooks", "add", forge, "--repo", repoUrl, "--json"]);
			expectOk(run);
			return run.last as { hook: { id: string }; secret: string; path: string };
		};
		const deliverTo = (made: { path: string }, body: string, headers: Record<string, string>) => deliver(body, headers, made.path);
		await git("checkout", "-q", "-b", "lab");
		await commitMessage("Hello from GitLab", "lab work");
		const labCommit = await head();
		await pushToForge("lab");
		const gitlab = await add("gitlab");
		// GitLab's push payload: object_kind, ref, before, after, checkout_sha.
		const labBody = JSON.stringify({ object_kind: "push", ref: "refs/heads/lab", before: ZERO, after: labCommit, checkout_sha: labCommit, project: { git_http_url: repoUrl } });
		const refused = await deliverTo(gitlab, labBody, { "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": randomUUID(), "x-gitlab-token": "a guess" });
		assert.equal(refused.status, 401);
		// The same delivery twice at once (a forge's retry racing the first): one deploys, the other is the duplicate.
		const labHeaders = { "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": randomUUID(), "x-gitlab-token": gitlab.secret };
		const both = await Promise.all([deliverTo(gitlab, labBody, labHeaders), deliverTo(gitlab, labBody, labHeaders)]);
		assert.deepEqual(both.map((a) => a.status).sort(), [200, 202], JSON.stringify(both.map((a) => a.json)));
		const labAnswer = both.find((a) => a.status === 202)!;
		assert.equal(both.find((a) => a.status === 200)!.json.result, "ignored, duplicate");
		const labRow = await live("lab-shop", labAnswer.json.deployment as string);
		assert.match(await contentOf(labRow), /Hello from GitLab/);

		await git("checkout", "-q", "-b", "tea");
		await commitMessage("Hello from Gitea", "tea work");
		const teaCommit = await head();
		await pushToForge("tea");
		const gitea = await add("gitea");
		const teaBody = pushPayload("refs/heads/tea", ZERO, teaCommit, "tea work");
		const hex = createHmac("sha256", gitea.secret).update(teaBody).digest("hex");
		const wrong = await deliverTo(gitea, teaBody, { "x-gitea-event": "push", "x-gitea-delivery": randomUUID(), "x-gitea-signature": createHmac("sha256", "not it").update(teaBody).digest("hex") });
		assert.equal(wrong.status, 401);
		const teaAnswer = await deliverTo(gitea, teaBody, { "x-gitea-event": "push", "x-gitea-delivery": randomUUID(), "x-gitea-signature": hex });
		assert.equal(teaAnswer.status, 202, JSON.stringify(teaAnswer.json));
		const teaRow = await live("tea-shop", teaAnswer.json.deployment as string);
		assert.equal(teaRow.source, "webhook");
		assert.match(await contentOf(teaRow), /Hello from Gitea/);
		for (const made of [gitlab, gitea]) expectOk(await server.cli(["hooks", "rm", made.hook.id]));
	});

	test("an SSH repository: `hooks add` prints a deploy key; once the forge accepts it, a push is fetched with it and deployed", async () => {
		// The forge over SSH is the test's sshd, serving the same bare repository; accepting the key is what the user does on GitHub.
		const sshUrl = `ssh://${server.sshd.user}@127.0.0.1:${server.sshd.port}${join(forge, "shop.git")}`;
		const run = await server.cli(["hooks", "add", "github", "--repo", sshUrl, "--json"]);
		expectOk(run);
		const made = run.last as { hook: { id: string }; secret: string; path: string; deployKey: string };
		assert.match(made.deployKey, /^ssh-ed25519 \S+ deploy-hook-hk_/);
		const human = await server.cli(["hooks", "ls"]);
		assert.ok(!human.stdout.includes(made.secret));
		await git("checkout", "-q", "-b", "private");
		await commitMessage("Hello over SSH", "private work");
		const after = await head();
		await pushToForge("private");
		const body = pushPayload("refs/heads/private", ZERO, after, "private work");
		const saved = hook;
		hook = { id: made.hook.id, secret: made.secret, path: made.path, url: "" };
		try {
			// Before the forge knows the key, the fetch is refused (the server tried no other key, asked nothing):
			// the forge had its 202 already, and the failure is recorded on the delivery.
			const delivery = randomUUID();
			const refused = await push(body, "push", delivery);
			assert.equal(refused.status, 202, JSON.stringify(refused.json));
			await eventually("the failed fetch is on the delivery", async () => (await deliveryLines(delivery)).some((d) => d.result.startsWith("failed: HOOK_FETCH_FAILED")));
			await appendFile(server.sshd.authorizedKeysFile, `${made.deployKey}\n`);
			// The forge's "Redeliver" sends the same delivery id: a failed delivery was not "seen", so it deploys now.
			const answer = await push(body, "push", delivery);
			assert.equal(answer.status, 202, JSON.stringify(answer.json));
			const row = await live("private-shop", answer.json.deployment as string);
			assert.equal(row.commit, after);
			assert.match(await contentOf(row), /Hello over SSH/);
		} finally {
			hook = saved;
		}
		expectOk(await server.cli(["hooks", "rm", made.hook.id]));
	});

	test("the fetched commit's own deploy.yaml is used: its failing build fails the deployment, which `hooks deliveries` shows with the error code", async () => {
		const branchBefore = (await git("rev-parse", "--abbrev-ref", "HEAD")).stdout.trim();
		await git("checkout", "-q", "-b", "broken");
		// Only this commit's deploy.yaml names the build command: the spec `hooks add` sent has none.
		await writeFile(join(server.appDir, "deploy.yaml"), "app: shop\nbuild: \"echo 'error: no widget here' >&2; exit 4\"\n");
		await git("commit", "-q", "-am", "a build that fails");
		await pushToForge("broken");
		const delivery = randomUUID();
		const answer = await push(pushPayload("refs/heads/broken", ZERO, await head(), "a build that fails"), "push", delivery);
		assert.equal(answer.status, 202, JSON.stringify(answer.json));
		const id = answer.json.deployment as string;
		await eventually(`${id} has failed`, async () => (await ls("broken-shop")).find((r) => r.id === id)?.status === "failed");
		const listed = await server.cli(["hooks", "deliveries", "--app", "shop", "--json"]);
		expectOk(listed);
		const row = (JSON.parse(listed.stdout) as { delivery: string; result: string; outcome?: { status: string; error?: { code: string } } }[]).find((d) => d.delivery === delivery);
		assert.deepEqual([row?.result, row?.outcome?.status, row?.outcome?.error?.code], ["deploying", "failed", "BUILD_FAILED"]);
		const human = await server.cli(["hooks", "deliveries", "--app", "shop"]);
		expectOk(human);
		assert.match(human.stdout.split("\n").find((line) => line.startsWith(delivery)) ?? "", /deploying\s+failed \(BUILD_FAILED\)/);
		await git("checkout", "-q", branchBefore);
	});

	test("a commit with a submodule at a relative URL: the server fetches it beside the repository, shallow, and the build sees its files", async () => {
		const branchBefore = (await git("rev-parse", "--abbrev-ref", "HEAD")).stdout.trim();
		// The library beside shop.git on the forge, as ../lib.git names it.
		const lib = await mkdtemp(join(tmpdir(), "deploy-hooks-lib-"));
		try {
			const inLib = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: lib });
			await inLib("init", "-q", "-b", "main");
			await writeFile(join(lib, "greeting.txt"), "Hello from the submodule\n");
			await inLib("add", ".");
			await inLib("commit", "-q", "-m", "lib");
			await execa("git", ["clone", "-q", "--bare", lib, join(forge, "lib.git")]);
		} finally {
			await rm(lib, { recursive: true, force: true });
		}
		await git("checkout", "-q", "-b", "modules");
		// git resolves ../lib.git against the repository's origin, here the forge's folder (the server, against the hook's git:// URL).
		await git("remote", "add", "origin", join(forge, "shop.git"));
		await git("-c", "protocol.file.allow=always", "submodule", "add", "-q", "../lib.git", "vendor/lib");
		// The build fails unless the submodule's file is there; the app then serves it.
		await writeFile(join(server.appDir, "deploy.yaml"), "app: shop\nbuild: test -f vendor/lib/greeting.txt\n");
		const file = join(server.appDir, "server.js");
		await writeFile(file, (await readFile(file, "utf8")).replace(/const message = ".*";/, 'const message = (await import("node:fs")).readFileSync(new URL("./vendor/lib/greeting.txt", import.meta.url), "utf8").trim();'));
		await git("add", ".");
		await git("commit", "-q", "-m", "a submodule");
		await pushToForge("modules");
		const fetchesBefore = uploadPacks();
		const answer = await push(pushPayload("refs/heads/modules", ZERO, await head(), "a submodule"));
		assert.equal(answer.status, 202, JSON.stringify(answer.json));
		const row = await live("modules-shop", answer.json.deployment as string);
		assert.match(await contentOf(row), /Hello from the submodule/);
		// Two fetches from the forge: the commit, then the submodule's (lib.git, resolved from the hook's URL).
		assert.equal(uploadPacks(), fetchesBefore + 2, daemonLog);
		assert.match(daemonLog, /lib\.git/);
		await git("checkout", "-q", branchBefore);
	});

	test("a forge that does not answer holds no request: the delivery is answered 202 while the fetch waits, and the failed fetch is recorded on it", async () => {
		// A "forge" that takes the connection and never says a word.
		const held: Socket[] = [];
		const silent = createNetServer((socket) => held.push(socket));
		await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
		const port = (silent.address() as AddressInfo).port;
		const run = await server.cli(["hooks", "add", "github", "--repo", `git://127.0.0.1:${port}/slow.git`, "--json"]);
		expectOk(run);
		const made = run.last as { hook: { id: string }; secret: string; path: string };
		const saved = hook;
		hook = { id: made.hook.id, secret: made.secret, path: made.path, url: "" };
		try {
			const delivery = randomUUID();
			const answer = await push(pushPayload("refs/heads/main", ZERO, await head(), "slow"), "push", delivery);
			assert.equal(answer.status, 202, JSON.stringify(answer.json));
			await eventually("the server is fetching from the silent forge", async () => held.length > 0, 20_000);
			assert.ok(held.every((socket) => !socket.destroyed), "the fetch is still waiting for the forge");
			assert.deepEqual((await deliveryLines(delivery)).map((d) => d.result), ["deploying"]);
			// The forge hangs up: the fetch fails, and the delivery says so.
			for (const socket of held) socket.destroy();
			await eventually("the failed fetch is on the delivery", async () => (await deliveryLines(delivery)).some((d) => d.result.startsWith("failed: HOOK_FETCH_FAILED")));
		} finally {
			hook = saved;
			silent.close();
			for (const socket of held) socket.destroy();
		}
		expectOk(await server.cli(["hooks", "rm", made.hook.id]));
	});

	test("a ping is answered; `hooks rm` makes the hook's URL answer 404", async () => {
		const ping = await push(JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 }), "ping");
		assert.equal(ping.status, 200);
		expectOk(await server.cli(["hooks", "rm", hook.id]));
		const after = await push(pushPayload("refs/heads/main", ZERO, await head(), "x"));
		assert.equal(after.status, 404);
		const listed = await server.cli(["hooks", "ls", "--json"]);
		assert.deepEqual(JSON.parse(listed.stdout), []);
	});
});
