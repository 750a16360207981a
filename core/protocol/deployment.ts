import * as z from "zod";
import { certificateState } from "./domains.js";
import { errorInfo } from "./error-info.js";
import { appName, deploymentId } from "./names.js";
import { deploymentStatus } from "./spec.js";
import { deploymentPreviewFields } from "./previews.js";
import { deploymentSourceFields } from "./source-info.js";

/**
 * Issue 14: one URL a deployment answers at. `kind`: generated (the `<app>.<address>.sslip.io`
 * host, which resolves with no DNS setup), domain (a custom domain, whose DNS the user
 * points at the server), preview-domain (a preview's `<preview>.<domain>` host, which
 * needs a wildcard record). `certificate`: its state as the proxy holds it; none is plain
 * HTTP. `url` is the one that serves now: http:// until the certificate is valid.
 */
export const deploymentUrl = z.object({
	url: z.string(),
	host: z.string(),
	kind: z.enum(["generated", "domain", "preview-domain"]),
	certificate: certificateState,
});
export type DeploymentUrl = z.infer<typeof deploymentUrl>;

/** A deployment as the agent records it (the source of truth) and the client caches it. */
export const deploymentRecord = z.object({
	id: deploymentId,
	app: appName,
	/**
	 * Issue 13: the app's deployments numbered 1, 2, 3... in the order they were made
	 * (given under its deploy lock): what listing, rollback and pruning order by, since
	 * ids carry the clock's time and a clock can be set back. Absent from older records.
	 */
	seq: z.number().int().positive().optional(),
	status: deploymentStatus,
	/** The git commit the working tree was at, with `-dirty` when it had changes; null outside git. */
	commit: z.string().nullable(),
	// Issue 14: the branch, the commit's subject and whether the files had changes.
	...deploymentSourceFields,
	/** The URL to open: the first of `urls` (issue 14: the one that works first), as recorded when it went live. */
	url: z.string().nullable(),
	/** Issue 14: every URL it answers at, the one that works first, each with its state when it went live. */
	urls: z.array(deploymentUrl).optional(),
	createdAt: z.string(),
	/** When it went live or failed; a rollback or an env change to it later does not move it (it measures the deployment). */
	finishedAt: z.string().nullable(),
	/** Issue 14: when it last went live (its deploy, or a rollback to it); absent from older records and from ones never live. */
	liveAt: z.string().optional(),
	error: errorInfo.nullable(),
	/** The framework the build used (detected or configured), when known. */
	framework: z.string().optional(),
	/** What the caches saved: a hit skipped the step. */
	cache: z.object({ install: z.enum(["hit", "miss", "skipped"]), build: z.enum(["hit", "miss", "skipped"]) }).optional(),
	/** Issue 12: the Node.js version it was built with and runs on, "v22.23.5". */
	node: z.string().optional(),
	/** True when the source, config and env equal the live release's: nothing was rebuilt or restarted. */
	unchanged: z.boolean().optional(),
	// Issue 6: the preview a deployment belongs to (branch, expiry), when it is one.
	...deploymentPreviewFields,
});
export type DeploymentRecord = z.infer<typeof deploymentRecord>;
