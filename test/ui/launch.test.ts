// How `deploy ui` hands its session to a browser without showing the token to other
// users of the machine (issue 13, item 2): the built CLI with $BROWSER set to a script
// that records its own /proc/<pid>/cmdline and environ (what any local user reads), then
// Debian's Chromium opening what that opener was given, and the printed URL by hand.
import assert from "node:assert/strict";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Page } from "playwright-core";
import { type Browser, launchBrowser, startUi, type UiProcess } from "./harness.js";

const TOKEN_KEY = "deploy-ui-token";

describe("`deploy ui` opens a browser without putting its token on a command line", () => {
	let home: string;
	let records: string;
	let ui: UiProcess;
	let browser: Browser;
	let opener: { argv: string[]; environ: string };
	let launchPage: { path: string; html: string };
	let token: string;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-ui-launch-home-"));
		records = await mkdtemp(join(tmpdir(), "deploy-ui-launch-opener-"));
		const fakeBrowser = join(records, "browser.sh");
		await writeFile(fakeBrowser, `#!/bin/sh\ncat /proc/$$/environ > '${records}/environ'\ncat /proc/$$/cmdline > '${records}/cmdline.tmp'\nmv '${records}/cmdline.tmp' '${records}/cmdline'\n`);
		await chmod(fakeBrowser, 0o755);
		ui = await startUi({ DEPLOY_HOME: home, BROWSER: fakeBrowser }, { open: true });
		browser = await launchBrowser();
		const cmdline = await waitForFile(join(records, "cmdline"));
		opener = { argv: cmdline.split("\0").filter(Boolean), environ: await readFile(join(records, "environ"), "utf8") };
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(records, { recursive: true, force: true });
	});

	test("the opener is given a launch page only this user can read, with no code or token in its arguments", async () => {
		const target = opener.argv.at(-1) ?? "";
		assert.match(target, /^file:\/\/.*\/ui\/launch-[0-9a-f]+\.html$/, `the opener's argv: ${opener.argv.join(" ")}`);
		assert.doesNotMatch(opener.argv.join(" "), /launch=|token=|127\.0\.0\.1/);
		const path = fileURLToPath(target);
		assert.equal((await stat(path)).mode & 0o777, 0o600);
		assert.equal((await stat(join(home, "ui"))).mode & 0o777, 0o700);
		launchPage = { path, html: await readFile(path, "utf8") };
		assert.match(launchPage.html, /#launch=/);
	});

	test("the launch page opens the UI with a working session, then is deleted", async () => {
		const { page } = browser;
		await page.goto(`file://${launchPage.path}`);
		await page.waitForURL(`${ui.origin}/`);
		await page.getByRole("heading", { name: "Servers" }).waitFor();
		// servers.list answered through the api: the session works.
		await page.getByText("No servers yet").waitFor();
		token = await sessionToken(page);
		assert.equal(Buffer.from(token, "base64url").length, 32);
		assert.equal(await apiStatus(page, token), 200);
		assert.doesNotMatch(page.url(), /launch|token/);
		await waitFor(async () => !(await exists(launchPage.path)), "the launch page to be deleted");
	});

	test("neither the opener's arguments, its environment nor the launch page carried the token", () => {
		assert.ok(!opener.argv.join("\0").includes(token), "the token is in the opener's argv");
		assert.ok(!opener.environ.includes(token), "the token is in the opener's environment");
		assert.ok(!launchPage.html.includes(token), "the token is in the launch page");
	});

	test("the printed URL works once; opened again, it is refused with a hint", async () => {
		assert.ok(!ui.url.includes(token));
		const first = await browser.context.newPage();
		await first.goto(ui.url);
		await first.getByText("No servers yet").waitFor();
		assert.equal(await sessionToken(first), token);

		const second = await browser.context.newPage();
		await second.goto(ui.url);
		await second.getByRole("alert").filter({ hasText: "already used" }).waitFor();
		await second.getByText("start it again for a new link").waitFor();
		assert.equal(await storedToken(second), null);
		await Promise.all([first.close(), second.close()]);
	});

	test("no running process's command line or environment, no output and no file of the deploy home holds the token", async () => {
		for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
			for (const part of ["cmdline", "environ"]) {
				const text = await readFile(`/proc/${pid}/${part}`, "utf8").catch(() => "");
				assert.ok(!text.includes(token), `the token is in /proc/${pid}/${part}`);
			}
		}
		assert.ok(!ui.output().includes(token), "the token is in `deploy ui`'s output");
		for (const file of await filesUnder(home)) {
			assert.ok(!(await readFile(file)).includes(token), `the token is in ${file}`);
		}
	});
});

/** What the page keeps for its tab (renderer/src/api/token.ts); the test's tsconfig has no DOM types. */
function storedToken(page: Page): Promise<string | null> {
	return page.evaluate(`sessionStorage.getItem(${JSON.stringify(TOKEN_KEY)})`);
}

async function sessionToken(page: Page): Promise<string> {
	const token = await storedToken(page);
	assert.ok(token, "the page holds no session token");
	return token;
}

function apiStatus(page: Page, token: string): Promise<number> {
	return page.evaluate(
		async (bearer) => (await fetch("/api/call/servers.list", { method: "POST", headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" }, body: "{}" })).status,
		token,
	);
}

async function filesUnder(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { withFileTypes: true, recursive: true });
	return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const exists = (path: string) => stat(path).then(
	() => true,
	() => false,
);

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

async function waitForFile(path: string): Promise<string> {
	await waitFor(() => exists(path), `${path} (was the opener started?)`);
	return readFile(path, "utf8");
}
