// Issue 16 in the UI: the Team view of `deploy ui` (the built CLI, Debian's Chromium, a
// real sshd and agent). The server's owner adds a member with a pasted public key and
// removes them; in bob's own UI (his key, role member) the buttons he cannot use are
// disabled with the reason, and the audit log says why it is not his to read.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, test } from "vitest";
import { startTeamServer, type TeamServer } from "../e2e/team-server.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";

describe("the Team view through `deploy ui`", () => {
	let team: TeamServer;
	let browser: Browser;
	const uis: UiProcess[] = [];

	beforeAll(async () => {
		team = await startTeamServer();
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		for (const ui of uis) await ui.stop();
		await team?.stop();
	});

	test("the owner adds a member with a pasted key and removes them", async () => {
		const ui = await startUi({ DEPLOY_HOME: team.homeOf("owner") });
		uis.push(ui);
		const { page } = browser;
		await page.goto(ui.url);
		await openView(page, "Team");
		await page.getByRole("table", { name: "Members of acme" }).locator('tr[data-member="bob"]').waitFor({ timeout: LONG });
		const form = page.getByRole("form", { name: "Add a member" });
		await form.getByLabel("Name").fill("dana");
		await form.getByLabel("Team").selectOption("acme");
		await form.getByLabel("Public key").fill((await readFile(`${team.keys.outsider}.pub`, "utf8")).trim());
		await form.getByRole("button", { name: "Add member" }).click();
		const row = page.getByRole("table", { name: "Members of acme" }).locator('tr[data-member="dana"]');
		await row.waitFor({ timeout: LONG });
		assert.match((await row.textContent()) ?? "", /member.*SHA256:/);
		assert.match(await readFile(team.server.sshd.authorizedKeysFile, "utf8"), /deploy-member:dana/);
		await screenshot(page, "team-member-added");
		await page.getByRole("button", { name: "Remove dana" }).click();
		await row.waitFor({ state: "detached", timeout: LONG });
		assert.doesNotMatch(await readFile(team.server.sshd.authorizedKeysFile, "utf8"), /deploy-member:dana/);
		await page.getByRole("table", { name: "Audit log" }).getByText("team.remove").first().waitFor({ timeout: LONG });
	});

	test("in bob's UI, what his role cannot do is disabled with the reason", async () => {
		const ui = await startUi({ DEPLOY_HOME: team.homeOf("member") });
		uis.push(ui);
		const { page } = browser;
		await page.goto(ui.url);
		await openView(page, "Team");
		await page.getByTestId("whoami").getByText("You are bob.").waitFor({ timeout: LONG });
		const remove = page.getByRole("button", { name: "Remove alice" });
		await remove.waitFor({ timeout: LONG });
		assert.equal(await remove.isDisabled(), true);
		assert.equal(await remove.getAttribute("title"), "Only an owner of acme can add or remove its members.");
		assert.equal(await page.getByRole("button", { name: "Add member" }).isDisabled(), true);
		const refused = page.getByRole("alert").filter({ hasText: "Audit log unavailable" });
		await refused.waitFor({ timeout: LONG });
		assert.match((await refused.textContent()) ?? "", /PERMISSION_DENIED.*needs the role admin/);
		await screenshot(page, "team-member-view");
	});
});
