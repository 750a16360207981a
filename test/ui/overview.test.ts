// Issue 14, items 15 and 16 in the UI: an app whose only deploy failed is listed in Apps
// with its failure, and choosing an app opens its Overview (live URL and state, current
// release, instances, last deployments, domains and certificates, recent errors). The
// deploys are made by the built CLI as a user makes them; `deploy ui`, Debian's Chromium,
// a real sshd, the agent and Caddy (see ./harness.ts). Nothing is mocked.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { repoRoot } from "../helpers/cli.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";


describe("the app Overview and failed first deploys through `deploy ui`", () => {
	let server: TestServer;
	let brokenDir: string;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	let liveId: string;

	beforeAll(async () => {
		server = await startTestServer("hello");
		await writeFile(join(server.appDir, "deploy.yaml"), "app: hello\ndomains: [hello.example.test]\n");
		const deployed = await server.cli(["--json"]);
		assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
		liveId = String(deployed.last.id);
		// A second deploy whose build fails: the first release keeps serving.
		await writeFile(join(server.appDir, "deploy.yaml"), 'app: hello\ndomains: [hello.example.test]\nbuild: "echo cannot find module ./styles >&2; exit 3"\n');
		const broken = await server.cli(["--json"]);
		assert.notEqual(broken.code, 0, "the broken build fails");

		// Another app whose first and only deploy fails.
		brokenDir = await mkdtemp(join(tmpdir(), "deploy-ui-broken-"));
		await cp(join(repoRoot, "examples/hello"), brokenDir, { recursive: true });
		await writeFile(join(brokenDir, "deploy.yaml"), 'app: broken\nbuild: "echo the build script crashed >&2; exit 7"\n');
		const first = await server.cli(["--json"], brokenDir);
		assert.notEqual(first.code, 0, "the first deploy of broken fails");

		ui = await startUi(server.env);
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await server?.stop();
		if (brokenDir) await rm(brokenDir, { recursive: true, force: true });
	});

	// The picker, by its label (its accessible name may carry the chosen option too).
	const appPicker = () => page.getByRole("combobox", { name: /^App/ });
	const nav = (name: string) => openView(page, name);

	test("Apps lists the app whose first deploy failed, with the failure", async () => {
		await page.goto(ui.url);
		await nav("Apps");
		const card = page.getByRole("listitem", { name: "App broken" });
		await card.waitFor({ timeout: LONG });
		await card.locator(".badge", { hasText: "failed" }).waitFor({ timeout: LONG });
		const failure = card.getByTestId("last-failure");
		await failure.waitFor({ timeout: LONG });
		assert.match((await failure.textContent()) ?? "", /Last deploy failed: BUILD_FAILED .*exit(ed)? .*7/);
		await screenshot(page, "apps-failed-first-deploy");
	});

	test("choosing an app lands on its Overview: live URL, release, instances, deployments, domains, errors", async () => {
		await page.getByRole("listitem", { name: "App hello" }).getByRole("button", { name: "hello", exact: true }).click();
		await page.getByRole("heading", { level: 1, name: "Overview" }).waitFor();
		const summary = page.getByRole("region", { name: "App hello" });
		const url = `http://hello.127.0.0.1.sslip.io:${server.httpPort}`;
		const urls = summary.getByRole("list", { name: "Live URLs" });
		await urls.getByRole("link", { name: url, exact: true }).waitFor({ timeout: LONG });
		assert.equal(await urls.getByRole("link", { name: url, exact: true }).getAttribute("href"), url);
		assert.equal((await summary.locator(".card-header .badge").textContent())?.trim(), "live");
		// The custom domain answers at the same port; without TLS it has no certificate.
		assert.match((await urls.getByRole("listitem").nth(1).textContent()) ?? "", new RegExp(`http://hello\\.example\\.test:${server.httpPort}.*none`));
		// The failed redeploy is told, and the release before it still serves.
		assert.match((await summary.getByTestId("last-failure").textContent()) ?? "", /Last deploy failed: BUILD_FAILED/);
		await page.getByTestId("current-release").filter({ hasText: liveId }).waitFor({ timeout: LONG });

		await page.getByTestId("instance-count").waitFor({ timeout: LONG });
		assert.equal((await page.getByTestId("instance-count").textContent())?.trim(), "1 of 1 running");

		const deployments = page.getByRole("list", { name: "Last deployments" }).getByRole("listitem");
		assert.equal(await deployments.count(), 2);
		assert.equal((await deployments.nth(0).locator(".badge").textContent())?.trim(), "failed");
		assert.equal(await deployments.nth(1).getAttribute("aria-label"), `Deployment ${liveId}`);
		assert.equal((await deployments.nth(1).locator(".badge").textContent())?.trim(), "live");

		const domain = page.getByRole("list", { name: "Domains and certificates" }).locator('li[data-domain="hello.example.test"]');
		await domain.waitFor({ timeout: LONG });
		assert.equal((await domain.locator(".badge").textContent())?.trim(), "none");

		const errors = page.getByRole("list", { name: "Recent errors" }).getByRole("listitem");
		await errors.first().waitFor({ timeout: LONG });
		assert.match((await errors.first().textContent()) ?? "", /BUILD_FAILED.*deployment/);
		await screenshot(page, "overview");
	});

	test("the Overview of the app that never went live shows its failure and no URL", async () => {
		await appPicker().selectOption({ label: `broken (${brokenDir})` });
		const summary = page.getByRole("region", { name: "App broken" });
		await summary.waitFor({ timeout: LONG });
		await summary.locator(".card-header .badge", { hasText: "failed" }).waitFor({ timeout: LONG });
		await summary.getByText("No live URL: no release of it serves yet.").waitFor();
		assert.match((await summary.getByTestId("last-failure").textContent()) ?? "", /BUILD_FAILED/);
		await page.getByRole("region", { name: "Current release" }).getByText("No release serves yet.").waitFor({ timeout: LONG });
		await page.getByRole("region", { name: "Instances" }).getByText("None running.").waitFor({ timeout: LONG });
		await page.getByRole("region", { name: "Domains and certificates" }).getByText(/None routed yet/).waitFor({ timeout: LONG });
		await screenshot(page, "overview-failed-first-deploy");
	});

	test("the Overview reads in dark mode and on a narrow screen", async () => {
		await appPicker().selectOption({ label: `hello (${server.appDir})` });
		await page.getByRole("button", { name: "Dark mode" }).click();
		await page.getByTestId("instance-count").waitFor({ timeout: LONG });
		await screenshot(page, "overview-dark");
		await page.setViewportSize({ width: 390, height: 844 });
		await page.getByTestId("current-release").waitFor({ timeout: LONG });
		const widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]");
		assert.deepEqual(widths, [390, 390], "nothing wider than the narrow screen");
		await screenshot(page, "overview-narrow-dark");
		await page.getByRole("button", { name: "Light mode" }).click();
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	test("the renderer ran without script errors or CSP violations", () => {
		assert.deepEqual(browser.problems, []);
	});
});
