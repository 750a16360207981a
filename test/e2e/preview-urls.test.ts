// Issue 14, item 3: a preview's printed URL works once the app has a domain, and
// production and previews are kept apart. As a new user did it: a server with TLS (a
// real sshd + agent + Caddy, Pebble as the CA), the app given a domain with `deploy
// domains add`, then `deploy --preview`. The preview's host under that domain has no
// wildcard DNS record, as in the report: Pebble's DNS answers SERVFAIL for it (failDns),
// so its certificate cannot be issued, while the sslip.io URL works. Then `deploy ls
// --json` and the Apps card in Chromium (`deploy ui`). Nothing is mocked; build first.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { httpGet } from "../helpers/net.js";
import { type Browser, LONG, launchBrowser, openView, screenshot, startUi, type UiProcess } from "../ui/harness.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

interface Url {
	url: string;
	host: string;
	kind: string;
	certificate: string;
}
interface Row {
	app: string;
	status: string;
	url: string | null;
	urls?: Url[];
	environment?: string;
	preview?: { of: string };
}

describe("deploy --preview with a domain set: the URL that works first, every URL with its state; production and previews apart", () => {
	let server: TlsTestServer;
	let appDir: string;
	let httpPort: number;
	let httpsPort: number;
	const env = () => ({ DEPLOY_HOME: server.home });
	const cli = (args: string[]) => server.cli(args);
	const ok = expectOk;
	const sslip = (app: string) => `${app}.127.0.0.1.sslip.io`;

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-preview-urls-", "express");
		({ appDir, httpPort, httpsPort } = server);
		ok(await cli(["domains", "add", "shop.example.test", "--no-dns-check"]));
		// The preview's host has no DNS record (no wildcard *.shop.example.test): the CA cannot validate it.
		await server.pebble.failDns("preview-express.shop.example.test");
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("deploy --preview prints the sslip.io URL first (it works), and the domain's host with what it needs", async () => {
		const run = await cli(["--preview"]);
		ok(run);
		assert.equal(run.stdout.trim(), `http://${sslip("preview-express")}:${httpPort}`, "stdout: the one URL that works");
		assert.equal((await httpGet(httpPort, sslip("preview-express"))).status, 200);
		const lines = run.stderr.split("\n").filter((line) => line.includes("://"));
		assert.equal(lines.length, 2, run.stderr);
		assert.match(lines[0]!, new RegExp(`✔ http://${sslip("preview-express")}:${httpPort}\\s+works: sslip\\.io points it at the server`));
		assert.match(lines[1]!, new RegExp(`… http://preview-express\\.shop\\.example\\.test:${httpPort}\\s+needs a wildcard DNS record \\*\\.shop\\.example\\.test pointing at the server; certificate`));
	});

	test("a production redeploy lists its own domain first (certificate valid), then its sslip.io host", async () => {
		await writeFile(join(appDir, "deploy.yaml"), 'app: express\nenv:\n  RELEASE: "2"\n');
		const run = await cli(["--json"]);
		ok(run);
		const result = run.last as unknown as Row;
		assert.equal(result.url, `https://shop.example.test:${httpsPort}`);
		assert.deepEqual(
			result.urls?.map((u) => [u.url, u.kind, u.certificate]),
			[
				[`https://shop.example.test:${httpsPort}`, "domain", "valid"],
				[`http://${sslip("express")}:${httpPort}`, "generated", "none"],
			],
		);
	});

	test("deploy ls --json keeps production and the preview apart: environment on every row, each with its own URLs", async () => {
		const run = await cli(["ls", "--json"]);
		ok(run);
		const live = (JSON.parse(run.stdout) as Row[]).filter((row) => row.status === "live");
		const production = live.find((row) => row.app === "express");
		const preview = live.find((row) => row.app === "preview-express");
		assert.equal(production?.environment, "production");
		assert.equal(production?.preview, undefined);
		assert.equal(production?.url, `https://shop.example.test:${httpsPort}`);
		assert.equal(preview?.environment, "preview");
		assert.equal(preview?.preview?.of, "express");
		assert.equal(preview?.url, `http://${sslip("preview-express")}:${httpPort}`);
		assert.deepEqual(
			preview?.urls?.map((u) => u.kind),
			["generated", "preview-domain"],
		);
		const human = await cli(["ls"]);
		ok(human);
		const [productionPart, previewPart] = human.stdout.split(/^Previews$/m);
		assert.ok(previewPart, human.stdout);
		assert.ok(!productionPart!.includes("preview-express"), human.stdout);
		assert.match(previewPart, /preview-express .*live/);
	});

	describe("the Apps card in Chromium (deploy ui)", () => {
		let ui: UiProcess;
		let browser: Browser;

		beforeAll(async () => {
			ui = await startUi(env());
			browser = await launchBrowser();
		});
		afterAll(async () => {
			await browser?.close();
			await ui?.stop();
		});

		test("the app's URLs are production's, the working one first; the preview is listed apart under Previews", async () => {
			const page = browser.page;
			await page.goto(ui.url);
			await openView(page, "Apps");
			await page.getByLabel("Project folder on this machine").fill(appDir);
			await page.getByRole("button", { name: "Link folder" }).click();
			const card = page.getByRole("listitem", { name: "App express" });
			const urls = card.getByRole("list", { name: "URLs of express" });
			await urls.waitFor({ timeout: LONG });
			const links = await urls.getByRole("link").allTextContents();
			assert.deepEqual(links, [`https://shop.example.test:${httpsPort}`, `http://${sslip("express")}:${httpPort}`]);
			assert.match((await urls.getByRole("listitem").first().textContent()) ?? "", /works · HTTPS/);
			const previews = card.getByRole("list", { name: "Previews of express" });
			await previews.waitFor({ timeout: LONG });
			assert.deepEqual(await previews.getByRole("link").allTextContents(), [`http://${sslip("preview-express")}:${httpPort}`]);
			await screenshot(page, "apps-production-and-previews");
		});

		test("the Deployments view lists the preview's deployment under Previews, not in the app's history", async () => {
			const page = browser.page;
			await page.getByRole("listitem", { name: "App express" }).getByRole("button", { name: "Deployments", exact: true }).click();
			const previews = page.getByRole("region", { name: "Previews" });
			await previews.getByRole("list", { name: /^URLs of / }).waitFor({ timeout: LONG });
			assert.match((await previews.textContent()) ?? "", /preview of preview.*preview-express\.127\.0\.0\.1\.sslip\.io/);
			const history = page.getByRole("region", { name: "History" });
			await history.getByText(`https://shop.example.test:${httpsPort}`).waitFor({ timeout: LONG });
			assert.ok(!((await history.textContent()) ?? "").includes("preview-express"), "the app's history holds no preview");
			await screenshot(page, "deployments-history-and-previews");
		});
	});
});
