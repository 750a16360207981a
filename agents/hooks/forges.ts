// Issue 18, item 3: what each forge's delivery says in its headers, read the same way for
// the route (agents/api/webhook-route.ts): whether it is authentic, its event (push and ping
// named alike for every forge) and its delivery id. The push payloads share what a deploy
// needs (ref, before, after; the after side all zeros for a deleted branch).
import type { IncomingHttpHeaders } from "node:http";
import type { ForgeKind } from "../../core/protocol/hooks.js";
import { giteaSignatureOk, githubSignatureOk, gitlabTokenOk } from "./signature.js";

export interface DeliveryHeaders {
	authentic: boolean;
	/** "push", "ping", or the forge's own name of another event. */
	event: string;
	/** The forge's id of this delivery ("" when it sent none). */
	delivery: string;
	/** The header a forge's administrator should check when the signature fails. */
	signatureHeader: string;
}

const one = (headers: IncomingHttpHeaders, ...names: string[]): string => {
	for (const name of names) {
		const value = headers[name];
		if (typeof value === "string") return value.slice(0, 200);
	}
	return "";
};

export function readDelivery(forge: ForgeKind, secret: string, body: Buffer, headers: IncomingHttpHeaders): DeliveryHeaders {
	if (forge === "github") {
		return { authentic: githubSignatureOk(secret, body, headers["x-hub-signature-256"]), event: one(headers, "x-github-event"), delivery: one(headers, "x-github-delivery"), signatureHeader: "X-Hub-Signature-256" };
	}
	if (forge === "gitea") {
		// Forgejo sends its own names and Gitea's.
		const signature = one(headers, "x-gitea-signature", "x-forgejo-signature");
		return { authentic: giteaSignatureOk(secret, body, signature), event: one(headers, "x-gitea-event", "x-forgejo-event"), delivery: one(headers, "x-gitea-delivery", "x-forgejo-delivery"), signatureHeader: "X-Gitea-Signature" };
	}
	const event = one(headers, "x-gitlab-event");
	return {
		authentic: gitlabTokenOk(secret, headers["x-gitlab-token"]),
		event: event === "Push Hook" ? "push" : event,
		delivery: one(headers, "x-gitlab-event-uuid", "x-gitlab-webhook-uuid"),
		signatureHeader: "X-Gitlab-Token",
	};
}
