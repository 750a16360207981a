// The desktop UI in a real browser, by clicks: `deploy ui` from the built CLI, Debian's
// Chromium, a real sshd, the real agent and a real Caddy. Screenshots of every view, in
// light and dark, land in test-results/ui/.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Page } from "playwright-core";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { repoRoot } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";


describe("the UI through `deploy ui`", () => {
	let sshd: Sshd;
	let home: string;
	let app: string;
	let httpPort: number;
	let httpsPort: number;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	const host = "hello.127.0.0.1.sslip.io";

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-ui-home-"));
		app = await mkdtemp(join(tmpdir(), "deploy-ui-app-"));
		await cp(join(repoRoot, "examples/hello"), app, { recursive: true });
		// A build step that prints, so there is a build log to watch.
		await writeFile(join(app, "deploy.yaml"), 'app: hello\nbuild: "echo compiling hello"\n');
		[sshd, httpPort, httpsPort] = await Promise.all([startSshd(), freePort(), freePort()]);
		ui = await startUi({ DEPLOY_HOME: home });
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await sshd?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(app, { recursive: true, force: true });
	});

	// Each step builds on the one before: after a failure, the rest would only time out.
	let broken = false;
	const step = (name: string, fn: () => Promise<void> | void) =>
		test(name, async (t) => {
			if (broken) return t.skip("an earlier step failed");
			try {
				await fn();
			} catch (error) {
				broken = true;
				throw error;
			}
		});
	const nav = (name: string) => openView(page, name);

	step("opens with the printed URL and takes the token out of the address bar", async () => {
		await page.goto(ui.url);
		await page.getByRole("heading", { name: "Servers" }).waitFor();
		assert.doesNotMatch(page.url(), /token/);
		await page.getByText("No servers yet").waitFor();
	});

	step("adds a server after showing its host key fingerprint for confirmation", async () => {
		await page.getByRole("button", { name: "Add server" }).click();
		await page.getByLabel("Name").fill("prod");
		await page.getByLabel("SSH destination").fill(`${sshd.user}@127.0.0.1`);
		await page.getByLabel("SSH port").fill(String(sshd.port));
		await page.getByLabel("Identity file").fill(sshd.identityFile);
		await page.getByRole("button", { name: "Connect" }).click();

		const fingerprint = page.getByTestId("fingerprint");
		await fingerprint.waitFor({ timeout: LONG });
		assert.equal((await fingerprint.textContent())?.trim(), sshd.hostKeyFingerprint);
		// Issue 14: the proxy, its ports and TLS are chosen with the host key in view.
		await page.getByRole("radio", { name: /Caddy/ }).check();
		await page.getByLabel("HTTP port", { exact: true }).fill(String(httpPort));
		await page.getByLabel("HTTPS port").fill(String(httpsPort));
		await screenshot(page, "servers-host-key");

		await page.getByRole("button", { name: "Trust and add" }).click();
		const card = page.getByRole("listitem", { name: "Server prod" });
		await card.waitFor({ timeout: LONG });
		assert.match((await card.textContent()) ?? "", new RegExp(sshd.hostKeyFingerprint.replace(/[+/]/g, "\\$&")));
		await card.getByText("reachable", { exact: true }).waitFor({ timeout: LONG });
		// The agent's, the proxy's and the machine's health, as a person reads them.
		const health = card.getByRole("definition");
		await health.filter({ hasText: /^running caddy$/ }).waitFor({ timeout: LONG });
		await health.filter({ hasText: /^\d+(\.\d+)? ([KMGT]i)?B free of \d+(\.\d+)? ([KMGT]i)?B$/ }).waitFor();
		await health.filter({ hasText: /^\d+(\.\d+)? ([KMGT]i)?B available of \d+(\.\d+)? ([KMGT]i)?B$/ }).waitFor();
		await health.filter({ hasText: /^0 apps, 0 of 0 instances running$/ }).waitFor();
		await card.getByRole("meter", { name: "Disk used" }).waitFor();
		await screenshot(page, "servers");
		await card.getByRole("button", { name: "Refresh the status of prod" }).click();
		await card.getByText("reachable", { exact: true }).waitFor({ timeout: LONG });
		await health.filter({ hasText: /^running caddy$/ }).waitFor({ timeout: LONG });
	});

	step("links a project folder and shows the app's detected name", async () => {
		await nav("Apps");
		await page.getByLabel("Project folder on this machine").fill(app);
		await page.getByRole("button", { name: "Link folder" }).click();
		const card = page.getByRole("listitem", { name: "App hello" });
		await card.waitFor({ timeout: LONG });
		await card.getByText("not deployed").waitFor({ timeout: LONG });
		await screenshot(page, "apps");
	});

	step("deploys it with the live build log, then shows it live at its URL", async () => {
		await page.getByRole("listitem", { name: "App hello" }).getByRole("button", { name: "Deploy", exact: true }).click();
		await page.getByRole("heading", { name: "Deployments" }).waitFor();
		const log = page.getByTestId("live-log");
		await log.getByText("compiling hello").waitFor({ timeout: LONG });
		const link = page.locator(".outcome").getByRole("link");
		await link.waitFor({ timeout: LONG });
		const url = await link.getAttribute("href");
		assert.equal(url, `http://${host}:${httpPort}`);
		const answer = await httpGet(httpPort, host);
		assert.equal(answer.status, 200);
		assert.equal(answer.body, "Hello from Deploy Platform\n");
		await page.getByRole("listitem", { name: /^Deployment / }).first().getByText("live", { exact: true }).waitFor({ timeout: LONG });
		await screenshot(page, "deployments-live");
	});

	step("deploys a changed copy; the first one becomes a kept release", async () => {
		const server = join(app, "server.js");
		await writeFile(server, (await readFile(server, "utf8")).replace("Hello from Deploy Platform", "Hello again"));
		await page.getByRole("button", { name: "Deploy hello" }).click();
		// The history reloads when the deploy ends: the new release on top, live.
		const items = page.getByRole("listitem", { name: /^Deployment / });
		await items.nth(1).getByText("superseded").waitFor({ timeout: LONG });
		assert.equal(await items.count(), 2);
		assert.equal((await items.first().locator(".badge").textContent())?.trim(), "live");
		assert.equal((await httpGet(httpPort, host)).body, "Hello again\n");
		await screenshot(page, "deployments-second");
	});

	step("rolls back to the first release with one click", async () => {
		const first = page.getByRole("listitem", { name: /^Deployment / }).nth(1);
		const firstId = ((await first.getAttribute("aria-label")) ?? "").replace("Deployment ", "");
		await first.getByRole("button", { name: "Roll back to this" }).click();
		await page.getByRole("heading", { name: `Rollback to ${firstId}` }).waitFor();
		const live = page.getByRole("listitem", { name: `Deployment ${firstId}` }).getByText("live", { exact: true });
		const failure = page.getByRole("alert").filter({ hasText: "Rollback failed" });
		await live.or(failure).first().waitFor({ timeout: LONG });
		if (await failure.count()) {
			await screenshot(page, "deployments-rollback-error");
			assert.fail(`The rollback failed, shown as: ${await failure.first().textContent()}`);
		}
		assert.equal((await httpGet(httpPort, host)).body, "Hello from Deploy Platform\n");
		await screenshot(page, "deployments-rollback");
	});

	step("follows the app's logs as soon as the view opens, and filters them with the search box", async () => {
		await nav("Logs");
		// Issue 14: following is the default; no click needed.
		await page.getByRole("button", { name: "Stop following" }).waitFor({ timeout: LONG });
		const output = page.getByRole("log", { name: "App output" });
		await output.getByText("hello listening on", { exact: false }).first().waitFor({ timeout: LONG });
		// A request made now appears while following.
		await httpGet(httpPort, host, "/from-the-ui-test");
		await output.getByText("GET /from-the-ui-test").waitFor({ timeout: LONG });
		await page.getByLabel("Search").fill("from-the-ui-test");
		const shown = await output.locator("li").allTextContents();
		assert.ok(shown.length >= 1);
		assert.ok(shown.every((line) => line.includes("from-the-ui-test")), shown.join("\n"));
		await screenshot(page, "logs");
		await page.getByRole("button", { name: "Stop following" }).click();
		await page.getByRole("button", { name: "Follow", exact: true }).waitFor();
	});

	step("shows the app's instances with their state", async () => {
		await nav("Instances");
		const table = page.getByRole("table");
		await table.waitFor({ timeout: LONG });
		await table.getByText("running").first().waitFor();
		await screenshot(page, "instances");
	});

	step("charts each instance's CPU and memory, sampled while Analytics is open", async () => {
		await nav("Analytics");
		const instance = page.getByRole("listitem", { name: /^Instance web:/ }).first();
		await instance.waitFor({ timeout: LONG });
		// Two samples make a line: the second comes a few seconds after the first.
		await instance.getByRole("img", { name: /^CPU: ([2-9]|\d\d) samples/ }).waitFor({ timeout: LONG });
		await instance.getByRole("img", { name: /^Memory: ([2-9]|\d\d) samples, latest \d+(\.\d+)? [KM]iB/ }).waitFor({ timeout: LONG });
		await screenshot(page, "analytics");
	});

	step("shows env values masked, reveals one on click; lists domains and the sslip.io URL", async () => {
		await writeFile(
			join(app, "deploy.yaml"),
			'app: hello\nbuild: "echo compiling hello"\nenv:\n  API_TOKEN: "tok-very-secret-123"\n  LOG_LEVEL: info\ndomains: [hello.example.com]\n',
		);
		await nav("Environment");
		const token = page.getByTestId("env-API_TOKEN");
		await token.waitFor({ timeout: LONG });
		assert.equal(await token.textContent(), "••••••");
		assert.doesNotMatch((await page.locator("main").textContent()) ?? "", /tok-very-secret-123/);
		await page.getByText("Read-only for now").waitFor();
		await page.getByRole("button", { name: "Reveal API_TOKEN" }).click();
		await token.getByText("tok-very-secret-123").waitFor();
		assert.equal(await page.getByTestId("env-LOG_LEVEL").textContent(), "••••••");
		await screenshot(page, "env");
		await page.getByRole("button", { name: "Hide API_TOKEN" }).click();
		await token.getByText("••••••").waitFor();

		await nav("Domains");
		const generated = page.getByTestId("generated-url");
		await generated.waitFor({ timeout: LONG });
		assert.equal(await generated.textContent(), `http://${host}:${httpPort}`);
		await page.getByRole("list", { name: "Configured domains" }).getByText("hello.example.com").waitFor();
		await screenshot(page, "domains");
	});

	step("a dropped folder in a browser says to use the path field or the desktop app", async () => {
		// What a browser hands the page for a dropped folder: a File with a name and no path.
		await page.evaluate(`(() => {
			const data = new DataTransfer();
			data.items.add(new File(["x"], "my-site"));
			window.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
		})()`);
		const message = page.getByRole("alert").filter({ hasText: "does not tell the page where a dropped folder is" });
		await message.waitFor();
		await screenshot(page, "drop-in-browser");
		await message.getByRole("button", { name: "Dismiss" }).click();
		await message.waitFor({ state: "detached" });
	});

	step("opens a shell on the server in the terminal tab, by clicks, and runs a command", async () => {
		await nav("Terminal");
		await page.getByLabel("Shell on").selectOption({ label: `prod (${sshd.user}@127.0.0.1)` });
		await page.getByRole("button", { name: "Open shell" }).click();
		await page.getByText("A shell on server prod").waitFor({ timeout: LONG });
		const screen = page.getByRole("region", { name: "Terminal screen" });
		await screen.click();
		await page.keyboard.type("echo $DEPLOY_AGENT_HOME\n");
		await screen.locator(".xterm-rows > div", { hasText: sshd.agentHome }).first().waitFor({ timeout: LONG });
		await screenshot(page, "terminal-server");
		await page.getByRole("button", { name: "Close shell" }).click();
		await page.getByText("The shell on server prod ended").waitFor({ timeout: LONG });
	});

	step("opens a shell on this machine too", async () => {
		await page.getByLabel("Shell on").selectOption({ label: "This machine" });
		await page.getByRole("button", { name: "Open shell" }).click();
		await page.getByText("A shell on this machine").waitFor({ timeout: LONG });
		await page.getByRole("region", { name: "Terminal screen" }).click();
		await page.keyboard.type("echo local-$((6*7))\n");
		await page.locator(".xterm-rows > div", { hasText: "local-42" }).first().waitFor({ timeout: LONG });
		// Typing `exit` ends the shell as closing the tab would.
		await page.keyboard.type("exit\n");
		await page.getByText(/The shell on this machine ended \(exit code 0\)/).waitFor({ timeout: LONG });
	});

	step("every view reads in dark mode, and on a narrow screen", async () => {
		await nav("Settings");
		await page.getByLabel("Dark").check();
		assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
		await screenshot(page, "settings-dark");
		// Each view, and what shows it has loaded.
		const views: [string, () => ReturnType<Page["locator"]>][] = [
			["Servers", () => page.getByRole("listitem", { name: "Server prod" }).getByText("reachable", { exact: true })],
			["Apps", () => page.getByRole("listitem", { name: "App hello" })],
			["Deployments", () => page.getByRole("listitem", { name: /^Deployment / }).first()],
			["Logs", () => page.getByRole("button", { name: "Stop following" })],
			["Instances", () => page.getByRole("table")],
			["Analytics", () => page.getByRole("img", { name: /^CPU: / }).first()],
			["Environment", () => page.getByTestId("env-API_TOKEN")],
			["Domains", () => page.getByTestId("generated-url")],
			["Terminal", () => page.getByRole("region", { name: "Terminal screen" })],
		];
		for (const [view, loaded] of views) {
			await nav(view);
			await page.getByRole("heading", { level: 1, name: view, exact: true }).waitFor();
			// The health refreshes on each visit; a refresh by click makes the screenshot wait for a fresh answer.
			if (view === "Servers") await page.getByRole("button", { name: "Refresh the status of prod" }).click({ timeout: LONG });
			await loaded().waitFor({ timeout: LONG });
			await screenshot(page, `${view.toLowerCase()}-dark`);
		}
		await page.setViewportSize({ width: 390, height: 844 });
		await nav("Apps");
		await page.getByRole("listitem", { name: "App hello" }).getByText("live", { exact: true }).waitFor({ timeout: LONG });
		await screenshot(page, "apps-narrow-dark");
		await page.getByRole("button", { name: "Light mode" }).click();
		await screenshot(page, "apps-narrow-light");
		await nav("Environment");
		await page.getByTestId("env-API_TOKEN").waitFor({ timeout: LONG });
		await screenshot(page, "env-narrow-light");
		await nav("Terminal");
		await page.getByRole("region", { name: "Terminal screen" }).waitFor();
		await screenshot(page, "terminal-narrow-light");
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	test("the renderer ran without script errors or CSP violations", () => {
		assert.deepEqual(browser.problems, []);
	});
});
