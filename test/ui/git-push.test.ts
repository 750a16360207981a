// Issue 18 (item 5) in the desktop's Deployments view: a deployment made by `git push`
// says so (push), with its commit, branch and message, beside one uploaded by `deploy`.
// `deploy ui` from the built CLI, Debian's Chromium, a real sshd, the agent and Caddy.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";
import { gitOverSsh } from "../helpers/git.js";

describe("Deployments shows how each deployment came (issue 18)", () => {
	let server: TestServer;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	let uploaded: string;
	let pushed: string;
	let sha: string;
	const git = async (...args: string[]) => {
		const run = await gitOverSsh(server.appDir, server.sshd.identityFile)(...args);
		assert.equal(run.exitCode, 0, `git ${args.join(" ")}: ${run.all}`);
		return run;
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "First, uploaded");
		const deploy = await server.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr);
		uploaded = String(deploy.last.id);
		assert.equal((await server.cli(["git-remote"])).code, 0);
		// A change: the same tree again would be the live release, unchanged, and no new deployment.
		await writeFile(join(server.appDir, "server.js"), (await readFile(join(server.appDir, "server.js"), "utf8")).replace("Hello from Deploy Platform", "Hello, pushed"));
		await git("commit", "-q", "-am", "Second, pushed");
		sha = (await git("rev-parse", "HEAD")).stdout.trim();
		await git("push", "deploy", "main");
		const ls = JSON.parse((await server.cli(["ls", "--json"])).stdout) as { id: string; source?: string }[];
		pushed = ls.find((r) => r.source === "push")!.id;
		ui = await startUi(server.env);
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await server?.stop();
	});

	test("the pushed deployment says push with its commit, branch and message; the uploaded one says upload", async () => {
		await page.goto(ui.url);
		await openView(page, "Deployments");
		const push = page.getByRole("listitem", { name: `Deployment ${pushed}` });
		const upload = page.getByRole("listitem", { name: `Deployment ${uploaded}` });
		await push.getByTestId("source").waitFor({ timeout: LONG });
		assert.equal(await push.locator(".source").textContent(), "push");
		assert.equal(await push.locator(".commit").textContent(), sha.slice(0, 7));
		assert.equal(await push.locator(".branch").textContent(), "main");
		assert.equal(await push.locator(".message").textContent(), "Second, pushed");
		assert.equal(await upload.locator(".source").textContent(), "upload");
		await screenshot(page, "deployments-source");
	});
});
