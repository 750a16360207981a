// Issue 14, item 13: a long certificate error made the Domains view 2,243 px wide. A
// server set up for TLS whose ACME CA answers every request with a 2,000-character
// problem detail: Caddy logs the failure, the agent reports it, and the Domains view and
// the Overview must wrap it within the window. Real: the built CLI, sshd, the agent,
// Caddy, Chromium. Stand-in: the ACME CA itself (a small HTTPS server of this test),
// because no CA answers with such an error on purpose; Pebble is tested in
// test/core/servers/acme.test.ts.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import type { Page } from "playwright-core";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { type CliRun, repoRoot, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";

const domain = "long-error.example.test";
// One unbroken run of 2,000 characters: the worst case for wrapping (no space to break at).
const detail = `the CA refused: ${"X".repeat(2000)}`;

/** An HTTPS "ACME CA" that answers every request with a server error carrying `detail`. */
async function startRefusingCa(dir: string): Promise<{ directory: string; certFile: string; server: Server }> {
	const certFile = join(dir, "ca-endpoint.pem");
	const keyFile = join(dir, "ca-endpoint-key.pem");
	await execa("openssl", [
		...["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2"],
		...["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
	]);
	const server = createServer({ cert: await readFile(certFile), key: await readFile(keyFile) }, (_request, response) => {
		response.writeHead(500, { "content-type": "application/problem+json" });
		response.end(JSON.stringify({ type: "urn:ietf:params:acme:error:serverInternal", detail, status: 500 }));
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	return { directory: `https://127.0.0.1:${(server.address() as AddressInfo).port}/directory`, certFile, server };
}

describe("a 2,000-character certificate error wraps in the Domains view and the Overview", () => {
	let sshd: Sshd;
	let ca: Awaited<ReturnType<typeof startRefusingCa>>;
	let home: string;
	let appDir: string;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	let httpPort: number;
	let httpsPort: number;
	const cli = (args: string[]) => runCli(args, { cwd: appDir, env: { DEPLOY_HOME: home } });
	const ok = (run: CliRun) => assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-wrap-home-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-wrap-app-"));
		ca = await startRefusingCa(home);
		sshd = await startSshd();
		await cp(join(repoRoot, "examples/hello"), appDir, { recursive: true });
		await writeFile(join(appDir, "deploy.yaml"), `app: hello\ndomains: [${domain}]\n`);
		[httpPort, httpsPort] = [await freePort(), await freePort()];
		ok(
			await cli([
				...["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy"],
				...["--http-port", String(httpPort), "--https-port", String(httpsPort), "--acme-ca", ca.directory, "--acme-ca-root", ca.certFile, "--accept-new-host-key"],
			]),
		);
		ok(await cli(["--json"]));
		// Caddy asks the CA as soon as the route has the domain; the agent reads the failure from Caddy's log.
		const deadline = Date.now() + 60_000;
		for (;;) {
			const run = await cli(["domains", "ls", "--json"]);
			ok(run);
			const row = (run.last as { domains: { domain: string; certificate: { state: string; message?: string } }[] }).domains.find((d) => d.domain === domain);
			if (row?.certificate.state === "failed" && row.certificate.message?.includes("XXXX")) break;
			assert.ok(Date.now() < deadline, `no certificate failure reported: ${run.stdout}`);
			await sleep(500);
		}
		ui = await startUi({ DEPLOY_HOME: home });
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await sshd?.stop();
		await new Promise((resolve) => ca?.server.close(resolve));
		if (home) await rm(home, { recursive: true, force: true });
		if (appDir) await rm(appDir, { recursive: true, force: true });
	});

	const nav = (name: string) => openView(page, name);
	const pageWidth = () => page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") as Promise<[number, number]>;
	/** For a failing assertion: the innermost elements that reach past the window's right edge. */
	const overflowing = () =>
		page.evaluate(`[...document.querySelectorAll("body *")]
			.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
			.slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).replaceAll(" ", ".") : "") + " " + Math.round(e.getBoundingClientRect().right))
			.join(", ")`);

	test("the Domains view shows the whole error and stays within the window", async () => {
		await page.goto(ui.url);
		await nav("Domains");
		const row = page.getByRole("table", { name: "Custom domains" }).locator(`tr[data-domain="${domain}"]`);
		await row.getByText("failed", { exact: true }).waitFor({ timeout: LONG });
		assert.match((await row.textContent()) ?? "", /X{2000}/);
		await screenshot(page, "domains-long-certificate-error");
		const [scrollWidth, innerWidth] = await pageWidth();
		assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window: ${await overflowing()}`);
		// The table too: nothing hides to the right behind a scroll bar.
		const table = (await page.evaluate(`(() => { const t = document.querySelector(".table-scroll"); return [t.scrollWidth, t.clientWidth]; })()`)) as [number, number];
		assert.ok(table[0] <= table[1], `the table is ${table[0]} px wide in ${table[1]} px`);
	});

	test("so does the Overview, on a wide and on a narrow screen", async () => {
		await nav("Overview");
		const item = page.getByRole("list", { name: "Domains and certificates" }).locator(`li[data-domain="${domain}"]`);
		await item.getByText("failed", { exact: true }).waitFor({ timeout: LONG });
		// The generated URL is plain HTTP; so is the domain, whose certificate failed: it is served,
		// not redirected, until a certificate exists (issue 14, item 2), on the proxy's HTTP port.
		const urls = page.getByRole("list", { name: "Live URLs" }).getByRole("link");
		assert.deepEqual(await urls.allTextContents(), [`http://hello.127.0.0.1.sslip.io:${httpPort}`, `http://${domain}:${httpPort}`]);
		// A glance: the error's first 200 characters, the whole of it in the Domains view.
		assert.match((await item.textContent()) ?? "", /the CA refused: X{100,}…$/);
		// Recent errors say so too, in a few words.
		const error = page.getByRole("list", { name: "Recent errors" }).getByRole("listitem").filter({ hasText: `certificate ${domain}` });
		assert.match((await error.textContent()) ?? "", /failed.*the CA refused: X+…/);
		let [scrollWidth, innerWidth] = await pageWidth();
		assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window: ${await overflowing()}`);
		await screenshot(page, "overview-long-certificate-error");
		await page.setViewportSize({ width: 390, height: 844 });
		[scrollWidth, innerWidth] = await pageWidth();
		assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window: ${await overflowing()}`);
		await nav("Domains");
		await page.locator(`tr[data-domain="${domain}"]`).getByText("failed", { exact: true }).waitFor({ timeout: LONG });
		[scrollWidth, innerWidth] = await pageWidth();
		assert.ok(scrollWidth <= innerWidth, `the narrow Domains view is ${scrollWidth} px wide in a ${innerWidth} px window: ${await overflowing()}`);
		await screenshot(page, "domains-long-certificate-error-narrow");
	});
});
