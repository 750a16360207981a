import * as z from "zod";
import { commitId } from "./git.js";
import { appName, deploymentId } from "./names.js";
import { ttlDuration } from "./previews.js";
import { appSpec, deploymentStatus } from "./spec.js";

// Issue 18, items 2 and 3: webhooks. A forge (GitHub) posts a push to the server's HTTPS
// API (`POST /api/v1/hooks/<id>`, no API key: the hook's secret signs the body); the
// agent fetches the pushed commit from the repository and deploys it, production for the
// production branch, a preview for any other. The hook keeps the spec `deploy hooks add`
// sent (the agent reads no deploy.yaml), like `deploy git-remote`.

/** gitea covers Forgejo (the same signature); gitlab sends the secret itself as a token. */
export const forgeKind = z.enum(["github", "gitea", "gitlab"]);
export type ForgeKind = z.infer<typeof forgeKind>;

export const hookId = z.string().regex(/^hk_[0-9a-f]{16}$/, "is not a hook id (hk_ and 16 hex digits, as `deploy hooks ls` shows)");

/**
 * A repository the agent may fetch from: https, http, git or ssh URLs, or scp-like `user@host:path`.
 * Never a local path or an option (a leading `-`): the URL goes to `git fetch`.
 */
export const repositoryUrl = z
	.string()
	.min(1)
	.max(2000)
	.regex(/^(?:(?:https?|git|ssh):\/\/[^\s/]+\/\S+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s]+)$/, "is not a repository URL (https://host/owner/repo.git, git://…, ssh://… or git@host:owner/repo.git)")
	// A token in the URL (https://user:token@…, https://token@…) would be shown by `hooks ls`, written to the
	// audit log and quoted in fetch errors: only ssh names a user there, and never a password.
	.refine((url) => !/^(?:https?|git):\/\/[^\s/]*@/.test(url) && !/^ssh:\/\/[^\s/@]*:[^\s/@]*@/.test(url), {
		message: "carries credentials, which `deploy hooks ls`, the audit log and fetch errors would show: use the SSH URL (git@host:owner/repo.git), for which `deploy hooks add` prints a deploy key",
	});

export const hookInfo = z.object({
	id: hookId,
	app: appName,
	forge: forgeKind,
	repo: z.string(),
	productionBranch: z.string(),
	createdAt: z.string(),
});
export type HookInfo = z.infer<typeof hookInfo>;

/**
 * How the deployment a delivery started ended (or where it is): its status, `cancelled` for
 * one stopped by `deploy cancel`, with the error's code and message when it failed. Read
 * from the deployment's record when the deliveries are listed, never stored twice.
 */
export const deliveryOutcome = z.object({
	status: z.enum([...deploymentStatus.options, "cancelled"]),
	error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type DeliveryOutcome = z.infer<typeof deliveryOutcome>;

/** One delivery a forge made, as the agent answered it. */
export const hookDelivery = z.object({
	hook: hookId,
	app: appName,
	/** The forge's delivery id (X-GitHub-Delivery); a second delivery with the same id is not deployed again. */
	delivery: z.string(),
	time: z.string(),
	event: z.string(),
	signatureOk: z.boolean(),
	branch: z.string().nullable(),
	commit: z.string().nullable(),
	deployment: deploymentId.nullable(),
	/** deploying, preview removed, ignored (why), duplicate, unauthorized, failed (why). */
	result: z.string(),
	/** Issue 18: the deployment's own result (live, failed with its code, cancelled), in `hooks.deliveries`' answer. */
	outcome: deliveryOutcome.optional(),
});
export type HookDelivery = z.infer<typeof hookDelivery>;

export const hookMethods = {
	"hooks.add": {
		/** Records a hook for the app: its secret is made here and answered once (only its holder can sign deliveries). */
		params: z.object({
			app: appSpec,
			forge: forgeKind,
			repo: repositoryUrl,
			productionBranch: z.string().min(1).max(255).optional(),
			previewTtl: ttlDuration.optional(),
		}),
		/** deployKey: for an SSH repository, the public key the agent made, to add to the repository as a read-only deploy key. */
		result: z.object({ hook: hookInfo, secret: z.string(), path: z.string(), url: z.string().nullable(), deployKey: z.string().nullable() }),
	},
	"hooks.list": {
		params: z.object({ app: appName.optional() }),
		result: z.object({ hooks: z.array(hookInfo) }),
	},
	"hooks.remove": {
		params: z.object({ id: hookId }),
		result: z.object({ removed: hookInfo }),
	},
	"hooks.deliveries": {
		params: z.object({ app: appName.optional(), limit: z.number().int().min(1).max(500).default(50) }),
		result: z.object({ deliveries: z.array(hookDelivery) }),
	},
	"hooks.deliver": {
		/** A verified push delivery, handed from the API listener to the daemon as the hook's caller (agents/hooks/webhook.ts). */
		params: z.object({
			app: appName,
			hook: hookId,
			ref: z.string().min(1).max(300),
			before: commitId,
			after: commitId,
			/** The forge's delivery id: a failure after the answer (the fetch, a bad deploy.yaml) is recorded under it. */
			delivery: z.string().max(200).optional(),
		}),
		result: z.object({
			outcome: z.enum(["detached", "removed", "ignored"]),
			app: appName.optional(),
			deployment: deploymentId.optional(),
			note: z.string().optional(),
		}),
	},
};
