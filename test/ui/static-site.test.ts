// Issue 14, item 9, in the desktop UI: the Instances view of a static site Caddy serves
// said "No instances: site is not running" while it was live. Deployed with the built
// CLI to a real sshd, agent and Caddy, then seen through `deploy ui` in Chromium.
import assert from "node:assert/strict";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { startTestServer, type TestServer } from "../e2e/server.js";
import { httpGet } from "../helpers/net.js";
import { type Browser, launchBrowser, screenshot, startUi, type UiProcess } from "./harness.js";

const LONG = 120_000;
const host = "site.127.0.0.1.sslip.io";

describe("a static site in the Instances view", () => {
	let server: TestServer;
	let ui: UiProcess;
	let browser: Browser;

	beforeAll(async () => {
		server = await startTestServer("hello");
		await rm(join(server.appDir, "server.js"));
		await rm(join(server.appDir, "package.json"));
		await mkdir(join(server.appDir, "public"));
		await writeFile(join(server.appDir, "public", "index.html"), "<h1>site</h1>\n");
		await writeFile(join(server.appDir, "deploy.yaml"), "app: site\nstatic:\n  dir: public\n");
		const deploy = await server.cli(["--json"]);
		assert.equal(deploy.code, 0, deploy.stderr);
		for (let i = 0; i < 3; i++) assert.equal((await httpGet(server.httpPort, host)).status, 200);
		ui = await startUi(server.env);
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await server?.stop();
	});

	test("shows the site as served by Caddy, with its requests of the last hour", async () => {
		const { page } = browser;
		await page.goto(ui.url);
		await page.getByRole("navigation", { name: "Views" }).getByRole("button", { name: "Instances", exact: true }).click();
		const row = page.getByRole("row", { name: /static/ });
		await row.waitFor({ timeout: LONG });
		assert.match((await row.textContent()) ?? "", new RegExp(`^web\\s*static\\s*${server.httpPort}\\s*served by caddy, 3 requests in the last hour$`));
		assert.equal(await page.getByText(/No instances/).count(), 0);
		await screenshot(page, "instances-static-site");
	});
});
