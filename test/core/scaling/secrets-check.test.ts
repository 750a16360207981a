// Issue 13, item 15: `deploy doctor`'s secrets line, by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { secretsCheck } from "../../../core/scaling/secrets-check.js";

const path = "/var/lib/deploy/secrets.key";
const lost =
	"If it is lost, so are the values sealed with it: on the server remove /var/lib/deploy/apps/<app>/env, set them again with `deploy env set`, and deploy.";

describe("doctor: the secrets key", () => {
	test("ok when every app's values open, or when nothing was sealed yet", () => {
		assert.deepEqual(secretsCheck({ path, present: true, unreadable: [] }), { name: "secrets", status: "ok", message: "the secrets key /var/lib/deploy/secrets.key opens every app's env values" });
		assert.deepEqual(secretsCheck({ path, present: false, unreadable: [] }), { name: "secrets", status: "ok", message: "no secrets key yet: the agent makes one with the first `deploy env set`" });
	});

	test("a missing key fails, naming it, the apps it stops and what to do", () => {
		assert.deepEqual(secretsCheck({ path, present: false, unreadable: ["api", "shop"] }), {
			name: "secrets",
			status: "fail",
			message: "the secrets key /var/lib/deploy/secrets.key is missing: the env values of api, shop cannot be opened, so their instances cannot start or restart",
			hint: `Put the key file back from a backup, then deploy again. ${lost}`,
		});
	});

	test("a replaced key fails too", () => {
		assert.deepEqual(secretsCheck({ path, present: true, unreadable: ["api"] }), {
			name: "secrets",
			status: "fail",
			message: "the env values of api do not open with the secrets key /var/lib/deploy/secrets.key (it was replaced, or they were changed), so its instances cannot start or restart",
			hint: `Put the original key back from a backup, then deploy again. ${lost}`,
		});
	});

	test("an agent that does not report it: a warning to upgrade", () => {
		assert.equal(secretsCheck(undefined).status, "warn");
	});
});
