// Issue 16, item 6 in the UI: what a member's role cannot do to an app is disabled in
// every view, with the reason the server gives (its `whoami` answer, computed from its one
// rule table), and the same views in an admin's UI are enabled and work. `deploy ui` of
// the built CLI on each person's own machine (their own store and key), Debian's
// Chromium, a real sshd, agent and Caddy (../e2e/team-server.ts: bob is a member of team
// acme given the app hello, alice its admin).
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, test } from "vitest";
import { startTeamServer, type TeamServer } from "../e2e/team-server.js";
import { type Browser, launchBrowser, LONG, openView, screenshot, startUi, type UiProcess } from "./harness.js";

const REASON = "Needs admin in team acme (you are member).";
/** The same reason said once above a list of buttons. */
const NOTE = "needs admin in team acme (you are member).";

describe("buttons a role cannot use, through `deploy ui`", () => {
	let team: TeamServer;
	let browser: Browser;
	const uis: UiProcess[] = [];

	beforeAll(async () => {
		team = await startTeamServer();
		// Something to roll back to, a secret and an added domain: each view has its change buttons to show.
		for (const args of [["--json"], ["env", "set", "GREETING=hi"], ["domains", "add", "roles.example.test", "--no-dns-check", "--no-wait"]]) {
			const done = await team.server.cli(args);
			assert.equal(done.code, 0, done.stdout + done.stderr);
		}
		browser = await launchBrowser();
	});

	afterAll(async () => {
		await browser?.close();
		for (const ui of uis) await ui.stop();
		await team?.stop();
	});

	const openUi = async (who: "member" | "admin"): Promise<Page> => {
		const ui = await startUi({ DEPLOY_HOME: team.homeOf(who) });
		uis.push(ui);
		await browser.page.goto(ui.url);
		return browser.page;
	};

	/** A disabled button whose title is the reason, said in words beside it or above its rows too. */
	const assertRefused = async (page: Page, name: string, visibleText: string) => {
		// The reason shows once the server answered `whoami`; until then nothing is disabled.
		await page.locator(".why-not").filter({ hasText: visibleText }).first().waitFor({ timeout: LONG });
		const button = page.getByRole("button", { name, exact: true }).first();
		assert.equal(await button.isDisabled(), true, `${name} is disabled`);
		assert.equal(await button.getAttribute("title"), REASON);
	};

	test("in bob's UI, roll back, deploy, env set, domains add and scale are disabled with the reason", async () => {
		const page = await openUi("member");
		await openView(page, "Deployments");
		await assertRefused(page, "Roll back to this", `Roll back: ${NOTE}`);
		await assertRefused(page, "Deploy hello", REASON);
		await screenshot(page, "roles-member-deployments");

		await openView(page, "Environment");
		await assertRefused(page, "Set", REASON);
		await assertRefused(page, "Reveal GREETING", `Reveal and remove: ${NOTE}`);
		await screenshot(page, "roles-member-env");

		await openView(page, "Domains");
		await assertRefused(page, "Add domain", REASON);
		await assertRefused(page, "Remove roles.example.test", `Remove: ${NOTE}`);
		await screenshot(page, "roles-member-domains");

		await openView(page, "Apps");
		await assertRefused(page, "Deploy", REASON);
		await screenshot(page, "roles-member-apps");

		await openView(page, "Instances");
		await assertRefused(page, "Scale", REASON);
		await screenshot(page, "roles-member-instances");

		await openView(page, "Terminal");
		await page.getByLabel("Shell on").selectOption({ index: 1 });
		const shell = page.getByRole("button", { name: "Open shell" });
		assert.equal(await shell.isDisabled(), true);
		assert.equal(await shell.getAttribute("title"), "Only the server's owner can open a shell on this server (you are bob, a team member).");

		await page.emulateMedia({ colorScheme: "dark" });
		await openView(page, "Deployments");
		await assertRefused(page, "Roll back to this", `Roll back: ${NOTE}`);
		await screenshot(page, "roles-member-deployments-dark");
		await page.emulateMedia({ colorScheme: "light" });
	});

	test("in alice's UI (admin) the same buttons are enabled, and scaling goes through", async () => {
		const page = await openUi("admin");
		await openView(page, "Deployments");
		const rollback = page.getByRole("button", { name: "Roll back to this" }).first();
		await rollback.waitFor({ timeout: LONG });
		assert.equal(await rollback.isDisabled(), false);
		assert.equal(await rollback.getAttribute("title"), null);
		assert.equal(await page.getByRole("button", { name: "Deploy hello" }).isDisabled(), false);

		await openView(page, "Environment");
		await page.getByRole("button", { name: "Reveal GREETING" }).waitFor({ timeout: LONG });
		assert.equal(await page.getByRole("button", { name: "Set", exact: true }).isDisabled(), false);

		await openView(page, "Domains");
		await page.getByRole("button", { name: "Remove roles.example.test" }).waitFor({ timeout: LONG });
		assert.equal(await page.getByRole("button", { name: "Add domain" }).isDisabled(), false);

		await openView(page, "Instances");
		const scale = page.getByRole("button", { name: "Scale", exact: true });
		await scale.waitFor({ timeout: LONG });
		assert.equal(await scale.isDisabled(), false);
		assert.equal(await page.locator(".why-not").count(), 0);
		await page.getByLabel("web instances").fill("2");
		await scale.click();
		// Two web rows once both instances run: the agent scaled for alice.
		await page.locator("tbody tr").filter({ hasText: "web" }).nth(1).waitFor({ timeout: LONG });
		await screenshot(page, "roles-admin-instances");
		const ps = await team.server.cli(["ps", "--json"]);
		assert.equal((JSON.parse(ps.stdout) as { process: string }[]).filter((i) => i.process === "web").length, 2, ps.stdout);
	});
});
