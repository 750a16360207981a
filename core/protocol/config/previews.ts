import * as z from "zod";
import { DEFAULT_PREVIEW_TTL, ttlDuration } from "../previews.js";

// Issue 6: deploy.yaml's `previews` key: which branch is production and how long a
// preview lives. Spread into the one schema (core/protocol/config/schema.ts); read by the
// client when it decides whether a deploy is a preview (core/deploy/preview-deploy.ts).

const branchName = z
	.string()
	.min(1, "must not be empty")
	.max(255)
	.regex(/^[^\s~^:?*[\\]+$/, "must be a git branch name (no spaces, ~ ^ : ? * [ or \\)");

export const previewsSettings = z
	.strictObject({
		productionBranch: branchName.optional().meta({
			description: "The git branch whose deploys go to production. A deploy from any other branch becomes a preview. Default: `main` and `master`.",
			examples: ["main", "release"],
		}),
		ttl: ttlDuration.default(DEFAULT_PREVIEW_TTL).meta({
			description: "How long a preview lives after its latest deploy (a number and s, m, h, d or w); then the server removes it by itself. `deploy --ttl` overrides it.",
			examples: ["7d", "12h"],
		}),
	});
export type PreviewsSettings = z.output<typeof previewsSettings>;

export const previewsConfig = {
	// Optional, not defaulted: a config without it reads as the defaults (core/deploy/preview-deploy.ts).
	previews: previewsSettings.optional().meta({
		description:
			"Preview deployments: a deploy from a git branch other than the production one (or with `deploy --preview`) gets its own instances and URL `<branch>-<app>.<domain>`, while production keeps serving untouched.",
		examples: [{ productionBranch: "main", ttl: "3d" }],
	}),
};
