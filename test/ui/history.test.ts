// Issue 14, items 11 and 10, in the UI as a person uses it: a git project deployed once
// committed and once with an uncommitted change. Deployments shows each one's commit
// (`+dirty`), branch, message and duration, and opens a past deployment's build log;
// Logs follows by itself, shows each line's time and instance, renders morgan-style
// colours instead of escape codes, and stops scrolling while the person reads above.
// `deploy ui` from the built CLI, Debian's Chromium, a real sshd, the agent and Caddy.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import type { Page } from "playwright-core";
import type { DeploymentRecord } from "../../core/protocol/index.js";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { httpGet } from "../helpers/net.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";

const host = "hello.127.0.0.1.sslip.io";
// The codes morgan's `dev` format writes (see test/e2e/history.test.ts); printed by the app itself.
const MORGAN_DEV = String.raw`"\x1b[0m" + req.method + " " + req.url + " \x1b[32m200\x1b[0m 0.412 ms - 27\x1b[0m"`;

describe("Deployments and Logs tell what ran (issue 14)", () => {
	let server: TestServer;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	let sha: string;
	let first: DeploymentRecord;
	let second: DeploymentRecord;
	const git = (...args: string[]) => execa("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: server.appDir });
	const deploy = async () => {
		const run = await server.cli(["--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return run.last as unknown as DeploymentRecord;
	};
	const nav = (name: string) => openView(page, name);

	beforeAll(async () => {
		server = await startTestServer("hello");
		const { appDir } = server;
		await writeFile(join(appDir, "build.cjs"), `console.log("\\x1b[32mbuilt " + require("fs").readFileSync("version.txt", "utf8").trim() + "\\x1b[39m");\n`);
		await writeFile(join(appDir, "version.txt"), "v1\n");
		await writeFile(join(appDir, "deploy.yaml"), 'app: hello\nbuild: "node build.cjs"\n');
		const app = await readFile(join(appDir, "server.js"), "utf8");
		await writeFile(join(appDir, "server.js"), app.replace(/console\.log\(`\$\{request\.method\} \$\{request\.url\}`\);/, `{ const req = request; console.log(${MORGAN_DEV}); }`));
		await git("init", "-q", "-b", "main");
		await git("add", ".");
		await git("commit", "-q", "-m", "Say hello in green");
		sha = (await git("rev-parse", "HEAD")).stdout.trim();
		first = await deploy();
		await writeFile(join(appDir, "version.txt"), "v2\n");
		second = await deploy();
		ui = await startUi(server.env);
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await server?.stop();
	});

	test("Deployments shows commit+dirty, branch, message and duration, and opens an older build log", async () => {
		await page.goto(ui.url);
		// The CLI's deploys linked the folder: the app is there without a click in Apps.
		await nav("Deployments");
		const newest = page.getByRole("listitem", { name: `Deployment ${second.id}` });
		const older = page.getByRole("listitem", { name: `Deployment ${first.id}` });
		await newest.getByTestId("source").waitFor({ timeout: LONG });
		const short = sha.slice(0, 7);
		assert.equal(await newest.locator(".commit").textContent(), `${short}+dirty`);
		assert.equal(await newest.locator(".branch").textContent(), "main");
		assert.equal(await newest.locator(".message").textContent(), "Say hello in green");
		assert.match((await newest.getByTestId("took").textContent()) ?? "", /^took (\d+ms|\d+(\.\d)?s|\d+m( \d+s)?)$/);
		assert.equal(await older.locator(".commit").textContent(), short);

		await older.getByRole("button", { name: "Build log", exact: true }).click();
		const log = older.getByRole("log", { name: `Build log of ${first.id}` });
		const built = log.getByText("built v1", { exact: true });
		await built.waitFor({ timeout: LONG });
		// Rendered in the build's colour, not as its escape code.
		assert.equal(await built.getAttribute("class"), "ansi-fg-2");
		assert.doesNotMatch((await log.textContent()) ?? "", /\[3\dm|built v2/);
		await screenshot(page, "deployments-history");
		await page.getByRole("button", { name: "Dark mode" }).click();
		await screenshot(page, "deployments-history-dark");
		await page.getByRole("button", { name: "Light mode" }).click();
		await older.getByRole("button", { name: "Hide build log" }).click();
		await log.waitFor({ state: "detached" });
	});

	test("Logs follows at once, shows each line's time and instance, morgan's colours as colours", async () => {
		await nav("Logs");
		await page.getByRole("button", { name: "Stop following" }).waitFor({ timeout: LONG });
		const output = page.getByRole("log", { name: "App output" });
		// A request made after the view opened shows up: it follows without a click.
		assert.equal((await httpGet(server.httpPort, host, "/from-the-ui")).status, 200);
		const line = output.locator("li", { hasText: "GET /from-the-ui 200" });
		await line.waitFor({ timeout: LONG });
		assert.match((await line.locator("time").textContent()) ?? "", /^\d\d:\d\d:\d\d\.\d{3}$/);
		assert.match((await line.locator("time").getAttribute("datetime")) ?? "", /^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
		assert.match((await line.locator(".log-instance").textContent()) ?? "", /^web:\d+$/);
		assert.equal(await line.locator(".ansi-fg-2").textContent(), "200");
		assert.doesNotMatch((await output.textContent()) ?? "", /\[\d+m/);
		await screenshot(page, "logs-history");
	});

	test("Logs keeps the newest line in view, pauses while the person reads above, and jumps back", async () => {
		const box = page.getByRole("log", { name: "App output" });
		const atBottom = () => box.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight <= 24);
		// More lines than the box shows.
		for (let i = 0; i < 60; i++) await httpGet(server.httpPort, host, `/fill-${i}`);
		await box.locator("li", { hasText: "GET /fill-59 " }).waitFor({ timeout: LONG });
		assert.ok(await box.evaluate((element) => element.scrollHeight > element.clientHeight), "the lines overflow the box");
		assert.equal(await atBottom(), true);

		// The person scrolls up to read: new lines still come, the view stays where it is.
		await box.evaluate((element) => {
			element.scrollTop = 0;
		});
		const jump = page.getByRole("button", { name: "Jump to the newest line" });
		await jump.waitFor();
		await httpGet(server.httpPort, host, "/while-reading");
		await box.locator("li", { hasText: "GET /while-reading " }).waitFor({ timeout: LONG });
		assert.equal(await box.evaluate((element) => element.scrollTop), 0);
		await screenshot(page, "logs-paused");

		await jump.click();
		await jump.waitFor({ state: "detached" });
		assert.equal(await atBottom(), true);
		await httpGet(server.httpPort, host, "/after-jump");
		await box.locator("li", { hasText: "GET /after-jump " }).waitFor({ timeout: LONG });
		// The new line scrolled into view by itself (a string: this file is type-checked without the DOM's types).
		await page.waitForFunction(`(() => { const box = document.querySelector('[aria-label="App output"]'); return box !== null && box.scrollHeight - box.scrollTop - box.clientHeight <= 24; })()`);
	});

	test("the renderer ran without script errors or CSP violations", () => {
		assert.deepEqual(browser.problems, []);
	});
});
