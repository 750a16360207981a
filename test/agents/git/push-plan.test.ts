// Issue 18: what a push asks for, as data: checked by equality.
import assert from "node:assert/strict";
import { test } from "vitest";
import { planPush } from "../../../agents/git/push-plan.js";
import type { RemoteSettings } from "../../../agents/git/repository.js";
import { ZERO_COMMIT } from "../../../core/protocol/git.js";
import { appSpec } from "../../../core/protocol/spec.js";

const spec = appSpec.parse({ name: "shop", domains: ["shop.example.com"] });
const settings: RemoteSettings = { spec, productionBranch: "main", previewTtlSeconds: 3600, configId: null };
const a = "a".repeat(40);
const b = "b".repeat(40);

test("the production branch deploys the app; another branch its preview, named and hosted as the client names it", () => {
	const [production, preview] = planPush(settings, [
		{ old: a, new: b, ref: "refs/heads/main" },
		{ old: ZERO_COMMIT, new: b, ref: "refs/heads/feature/Login" },
	]);
	assert.deepEqual(production, { kind: "deploy", ref: "refs/heads/main", branch: "main", commit: b, spec, production: true });
	assert.deepEqual(preview, {
		kind: "deploy",
		ref: "refs/heads/feature/Login",
		branch: "feature/Login",
		commit: b,
		production: false,
		spec: { ...spec, name: "feature-login-shop", domains: ["feature-login-shop.shop.example.com"], preview: { of: "shop", branch: "feature/Login", ttlSeconds: 3600, environment: "preview" } },
	});
});

test("a deleted branch removes its preview; deleting the production branch is refused with a hint; a tag deploys nothing", () => {
	const [removed, refused, tag] = planPush({ ...settings, productionBranch: "release" }, [
		{ old: a, new: ZERO_COMMIT, ref: "refs/heads/feature/x" },
		{ old: a, new: ZERO_COMMIT, ref: "refs/heads/release" },
		{ old: ZERO_COMMIT, new: a, ref: "refs/tags/v1" },
	]);
	assert.equal(removed?.kind, "remove");
	assert.equal(removed?.kind === "remove" && removed.spec.name, "feature-x-shop");
	assert.equal(refused?.kind, "refuse");
	assert.match(refused?.kind === "refuse" ? refused.message : "", /release is the production branch of shop/);
	assert.deepEqual(tag, { kind: "ignore", ref: "refs/tags/v1", note: "refs/tags/v1 is kept, not deployed: only branches deploy" });
});
