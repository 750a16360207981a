// Issue 16, item 6: what `whoami` tells a member their role cannot do to each app, derived
// from the one rule table (rules.ts) and decide.ts: pure, compared by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { appAccessOf } from "../../../agents/access/app-access.js";
import type { Membership } from "../../../core/protocol/team.js";

const bob: Membership = { team: "acme", role: "member", apps: ["hello"], canDeployProduction: false };
const admin = "admin" as const;
const needsAdmin = { needs: admin, team: "acme", role: "member" as const };

describe("appAccessOf", () => {
	test("a member is refused every change that needs admin, and no read", () => {
		assert.deepEqual(appAccessOf([bob], [{ app: "hello", team: "acme" }]), [
			{
				app: "hello",
				team: "acme",
				refused: {
					"audit.list": needsAdmin,
					"app.deploy": needsAdmin,
					"app.rollback": needsAdmin,
					"app.cancel": needsAdmin,
					"app.remove-deployment": needsAdmin,
					"app.scale": needsAdmin,
					"app.cache-clear": needsAdmin,
					"app.domains-add": needsAdmin,
					"app.domains-remove": needsAdmin,
					"app.env-reveal": needsAdmin,
					"app.env-change": needsAdmin,
					// Issue 18: an app's repository and its webhooks set what deploys it.
					"app.git-remote": needsAdmin,
					"app.redeploy": needsAdmin,
					"app.hooks-add": needsAdmin,
					"app.hooks-remove": needsAdmin,
					"app.hook-delivery": needsAdmin,
				},
			},
		]);
	});

	test("--can-deploy-production lets a member deploy, redeploy, roll back and cancel production, nothing more", () => {
		const [hello] = appAccessOf([{ ...bob, canDeployProduction: true }], [{ app: "hello", team: "acme" }]);
		assert.deepEqual(Object.keys(hello!.refused).filter((action) => /deploy|rollback|cancel/.test(action)), ["app.remove-deployment"]);
	});

	test("an admin is refused nothing on the team's apps; the server's owner gets no list", () => {
		assert.deepEqual(appAccessOf([{ ...bob, role: "admin", apps: null }], [{ app: "hello", team: "acme" }]), [{ app: "hello", team: "acme", refused: {} }]);
		assert.deepEqual(appAccessOf(null, [{ app: "hello", team: "acme" }]), []);
	});
});
