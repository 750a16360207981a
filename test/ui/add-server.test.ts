// Issue 14, item 14: the Add-server form as a person uses it, in Chromium through the
// built CLI's `deploy ui`, against a real sshd (the real agent and Caddy once added).
// "Connect" only looks: the host key's fingerprint and the proxy that works there are
// shown before anything is trusted or installed; "Trust and add" pins exactly that key.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import type { Page } from "playwright-core";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";
import { type Browser, launchBrowser, LONG, screenshot, startUi, type UiProcess } from "./harness.js";


describe("adding a server in the UI", () => {
	let sshd: Sshd;
	let home: string;
	let ui: UiProcess;
	let browser: Browser;
	let page: Page;
	let blocker: Server;
	let takenPort: number;

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-ui-add-server-"));
		sshd = await startSshd();
		// Something of the server's own already listens on this port (an nginx on 80, say).
		blocker = createServer((socket) => socket.end());
		await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
		takenPort = (blocker.address() as { port: number }).port;
		ui = await startUi({ DEPLOY_HOME: home });
		browser = await launchBrowser();
		page = browser.page;
	});

	afterAll(async () => {
		await browser?.close();
		await ui?.stop();
		await sshd?.stop();
		await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
		await rm(home, { recursive: true, force: true });
	});

	const remembered = async () => JSON.parse((await runCli(["servers", "ls", "--json"], { env: { DEPLOY_HOME: home } })).stdout) as { name: string; hostKeyFingerprint: string; proxy: string; tls: boolean }[];

	async function connect(name: string): Promise<void> {
		await page.getByRole("button", { name: "Add server" }).click();
		await page.getByLabel("Name").fill(name);
		await page.getByLabel("SSH destination").fill(`${sshd.user}@127.0.0.1`);
		await page.getByLabel("SSH port").fill(String(sshd.port));
		await page.getByLabel("Identity file").fill(sshd.identityFile);
		await page.getByRole("button", { name: "Connect" }).click();
		await page.getByTestId("fingerprint").waitFor({ timeout: LONG });
	}

	test("Connect shows the host key and the proxy that works there, and trusts, stores and installs nothing", async () => {
		await page.goto(ui.url);
		await page.getByText("No servers yet").waitFor();
		await connect("prod");
		assert.equal((await page.getByTestId("fingerprint").textContent())?.trim(), sshd.hostKeyFingerprint);
		const dialog = page.getByRole("alertdialog", { name: "Trust this server?" });
		assert.match((await dialog.textContent()) ?? "", /has not seen.*Nothing has been trusted, stored or changed yet/s);
		// Caddy is installed on this machine (Debian's package), Traefik is not: Caddy works without a download.
		assert.equal(await page.getByRole("radio", { name: /Caddy/ }).isChecked(), true);
		assert.match((await page.getByRole("radio", { name: /Caddy/ }).locator("xpath=..").textContent()) ?? "", /works here.*installed on the server/s);
		await page.getByLabel("HTTP port", { exact: true }).fill(String(takenPort));
		await page.getByText(`Port ${takenPort} is in use on the server`).waitFor();
		await screenshot(page, "add-server-confirm");

		assert.deepEqual(await remembered(), [], "no server is remembered before the person confirms");
		assert.equal(existsSync(join(sshd.agentHome, "bin", "agent.mjs")), false, "nothing was installed on the server");
	});

	test("Trust and add sets the server up with the choices made, pinning the key that was shown", async () => {
		await page.getByLabel("HTTP port", { exact: true }).fill(String(await freePort()));
		await page.getByLabel("HTTPS port").fill(String(await freePort()));
		await page.getByRole("checkbox", { name: /HTTPS with certificates/ }).uncheck();
		await page.getByRole("button", { name: "Trust and add" }).click();
		await page.getByRole("listitem", { name: "Server prod" }).waitFor({ timeout: LONG });
		const [server] = await remembered();
		assert.equal(server?.name, "prod");
		assert.equal(server?.hostKeyFingerprint, sshd.hostKeyFingerprint);
		assert.equal(server?.proxy, "caddy");
		assert.equal(server?.tls, false);
	});

	test("a server that shows another key after Connect is refused at Trust and add, and nothing is stored", async () => {
		await connect("again");
		const shown = (await page.getByTestId("fingerprint").textContent())?.trim();
		await sshd.replaceHostKey();
		await page.getByRole("checkbox", { name: /HTTPS with certificates/ }).uncheck();
		await page.getByLabel("HTTP port", { exact: true }).fill(String(await freePort()));
		await page.getByLabel("HTTPS port").fill(String(await freePort()));
		await page.getByRole("button", { name: "Trust and add" }).click();
		const refused = page.getByText("It is not the key you confirmed");
		await refused.waitFor({ timeout: LONG });
		assert.notEqual(sshd.hostKeyFingerprint, shown, "the server's key changed after it was shown");
		assert.deepEqual((await remembered()).map((s) => s.name), ["prod"]);
		await screenshot(page, "add-server-key-changed");
		assert.deepEqual(browser.problems, []);
	});
});
