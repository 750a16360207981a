// Issue 6 in the UI: the Domains view adds and removes a custom domain on the live app
// through the api, and shows its source, DNS state and certificate. `deploy ui` from the
// built CLI, Debian's Chromium, a real sshd, the agent and Caddy (see ./harness.ts).
import assert from "node:assert/strict";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Page } from "playwright-core";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { httpGet } from "../helpers/net.js";
import { type Browser, launchBrowser, LONG, screenshot, startUi, type UiProcess } from "./harness.js";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";


describe("the Domains view through `deploy ui`", () => {
	let server: TestServer;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;

	beforeAll(async () => {
		server = await startTestServer("hello");
		await writeFile(join(server.appDir, "deploy.yaml"), "app: hello\ndomains: [yaml.example.test]\n");
		const deployed = await server.cli(["--json"]);
		assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);
		ui = await startUi(server.env);
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await server?.stop();
	});

	test("adds a domain (routed at once, DNS warning shown), refuses a bad one, removes it again", async () => {
		await page.goto(ui.url);
		await page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Domains", exact: true }).click();
		const table = page.getByRole("table", { name: "Custom domains" });
		const yamlRow = table.locator('tr[data-domain="yaml.example.test"]');
		await yamlRow.waitFor({ timeout: LONG });
		assert.match((await yamlRow.textContent()) ?? "", /deploy\.yaml.*missing/);

		await page.getByLabel("Domain", { exact: true }).fill("under_score.example.test");
		await page.getByRole("button", { name: "Add domain" }).click();
		const refused = page.getByRole("alert").filter({ hasText: "Domain not changed" });
		await refused.waitFor({ timeout: LONG });
		assert.match((await refused.textContent()) ?? "", /must not contain underscores/);

		await page.getByLabel("Domain", { exact: true }).fill("ui.example.test");
		await page.getByRole("button", { name: "Add domain" }).click();
		const row = table.locator('tr[data-domain="ui.example.test"]');
		await row.waitFor({ timeout: LONG });
		assert.match((await row.textContent()) ?? "", /added/);
		assert.match((await page.getByTestId("dns-warning").textContent()) ?? "", /create an A record ui\.example\.test → 127\.0\.0\.1/);
		assert.equal((await httpGet(server.httpPort, "ui.example.test")).status, 200);
		await screenshot(page, "domains-added");

		await page.getByRole("button", { name: "Remove ui.example.test" }).click();
		await row.waitFor({ state: "detached", timeout: LONG });
		assert.equal((await httpGet(server.httpPort, "ui.example.test")).status, 404);
		// The refused name is a 400 answer, which Chromium logs as a failed resource; nothing else may show.
		assert.deepEqual(
			browser.problems.filter((problem) => !/status of 400 \(Bad Request\)/.test(problem)),
			[],
		);
	});
});
