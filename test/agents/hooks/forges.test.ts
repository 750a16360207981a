// Issue 18, item 3: each forge's headers read alike (agents/hooks/forges.ts): authentic or
// not, the event (push and ping named the same for all), the delivery id.
import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { readDelivery } from "../../../agents/hooks/forges.js";

const SECRET = "s3cret";
const BODY = Buffer.from('{"ref":"refs/heads/main"}');
const hex = createHmac("sha256", SECRET).update(BODY).digest("hex");

describe("readDelivery", () => {
	test("GitHub: X-Hub-Signature-256, X-GitHub-Event, X-GitHub-Delivery", () => {
		expect(readDelivery("github", SECRET, BODY, { "x-hub-signature-256": `sha256=${hex}`, "x-github-event": "push", "x-github-delivery": "d1" })).toMatchObject({ authentic: true, event: "push", delivery: "d1" });
		// Another forge's header proves nothing to a GitHub hook.
		expect(readDelivery("github", SECRET, BODY, { "x-gitea-signature": hex, "x-github-event": "push", "x-github-delivery": "d1" }).authentic).toBe(false);
	});

	test("Gitea and Forgejo: the bare hex signature under either's header names", () => {
		expect(readDelivery("gitea", SECRET, BODY, { "x-gitea-signature": hex, "x-gitea-event": "push", "x-gitea-delivery": "g1" })).toMatchObject({ authentic: true, event: "push", delivery: "g1" });
		expect(readDelivery("gitea", SECRET, BODY, { "x-forgejo-signature": hex, "x-forgejo-event": "push", "x-forgejo-delivery": "f1" })).toMatchObject({ authentic: true, event: "push", delivery: "f1" });
		expect(readDelivery("gitea", SECRET, BODY, { "x-gitea-signature": `sha256=${hex}` }).authentic).toBe(false);
	});

	test("GitLab: the token is the secret; `Push Hook` is a push", () => {
		expect(readDelivery("gitlab", SECRET, BODY, { "x-gitlab-token": SECRET, "x-gitlab-event": "Push Hook", "x-gitlab-event-uuid": "u1" })).toMatchObject({ authentic: true, event: "push", delivery: "u1" });
		expect(readDelivery("gitlab", SECRET, BODY, { "x-gitlab-token": "guess", "x-gitlab-event": "Push Hook" }).authentic).toBe(false);
		expect(readDelivery("gitlab", SECRET, BODY, { "x-gitlab-token": SECRET, "x-gitlab-event": "Tag Push Hook" }).event).toBe("Tag Push Hook");
	});
});
