import * as z from "zod";
import { deploymentRecord } from "./deployment.js";
import { domainsMethods } from "./domains.js";
import { previewsMethods } from "./previews.js";
import { envMethods } from "./env.js";
import { scalingMethods } from "./scaling.js";
import { metricsMethods } from "./metrics.js";
import { teamMethods } from "./team.js";
import { apiKeyMethods } from "./api-keys.js";
import { dashboardMethods } from "./dashboard.js";
import { gitMethods } from "./git.js";
import { hookMethods } from "./hooks.js";
import { serverHealth } from "./health.js";
import { appName, deploymentId, objectId, sourcePath } from "./names.js";
import { packedObjects } from "./object-batch.js";
import { branchName, commitMessage } from "./source-info.js";
import { appSpec, deploymentStatus, instanceInfo, manifestDiff, manifestEntry, proxyKind, serverSetup } from "./spec.js";

/**
 * Every RPC method the agent serves: params and result, validated on both ends.
 * Methods that stream also send `deployEvent`s before their result.
 */
export const methods = {
	hello: {
		params: z.object({ client: z.string() }),
		result: z.object({
			/** sha256 of the agent bundle: the version identity the client compares. */
			agentVersion: z.string(),
			protocol: z.number().int(),
			home: z.string(),
			node: z.string(),
			setup: serverSetup.nullable(),
		}),
	},
	setup: {
		params: serverSetup,
		result: z.object({ proxy: proxyKind, proxyVersion: z.string().nullable() }),
	},
	"objects.missing": {
		params: z.object({
			ids: z.array(objectId).max(1_000_000),
			/** How many files the deploy has (ids are deduplicated): a tree over the server's limit is refused (TOO_MANY_FILES) before anything is uploaded. */
			files: z.number().int().min(0).optional(),
		}),
		/** Every id asked about is held from this call until the connection closes: no collection removes it meanwhile. */
		result: z.object({
			missing: z.array(objectId),
			/** The largest file the server accepts (DEPLOY_AGENT_MAX_OBJECT_MB): the client refuses a larger one, by its path, before anything travels. */
			maxObjectBytes: z.number().int().positive().optional(),
		}),
	},
	"objects.put": {
		/**
		 * `data` is base64 of one raw deflate stream of the objects' contents one after another, in their order, each
		 * `size` bytes (the ids and sizes travel packed: object-batch.ts): one stream per batch, not one per file (a ~160-byte file gains little compressed alone, and a
		 * zlib stream per file cost both ends more than the file). The agent checks each id against its content; a
		 * mismatch is OBJECT_CORRUPT and the objects before it are stored. A size over DEPLOY_AGENT_MAX_OBJECT_MB
		 * (or a batch over PUT_OBJECT_MAX_BYTES in all) is OBJECT_TOO_LARGE, a batch that would leave the disk too
		 * little room DISK_LOW: those store nothing.
		 */
		params: packedObjects,
		result: z.object({ stored: z.number().int() }),
	},
	"objects.write": {
		/**
		 * One chunk of a large file (core/protocol/upload.ts): `size` is the whole file's, `offset` where this chunk
		 * starts; chunks of a file come in order on one connection. The chunk is the call's binary part (frames.ts):
		 * the raw bytes, or their raw deflate when `deflated`. The agent writes each chunk to a temp file as it comes
		 * and hashes it; the last one checks the id and stores the file. A file over DEPLOY_AGENT_MAX_OBJECT_MB is
		 * OBJECT_TOO_LARGE at its first chunk, one the disk has no room for DISK_LOW; a closed connection drops what
		 * it had not finished.
		 */
		params: z.object({
			id: objectId,
			size: z.number().int().min(0),
			offset: z.number().int().min(0),
			deflated: z.boolean().default(false),
		}),
		binaryPart: true,
		/** `stored`: this chunk was the last and the file is in the store. */
		result: z.object({ received: z.number().int(), stored: z.boolean() }),
	},
	deploy: {
		params: z
			.object({
				/** The whole app spec; or, instead, `specRef`. */
				app: appSpec.optional(),
				/** The spec of `manifestDiff.base`, by its hash (core/protocol/spec-hash.ts), when it did not change: a redeploy does not resend it. Another spec: SPEC_UNKNOWN, and the client sends `app`. */
				specRef: z.object({ app: appName, hash: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
				/** The whole source manifest; or, instead, `manifestDiff`. */
				manifest: z.array(manifestEntry).max(1_000_000).optional(),
				/** The manifest as changes to a release the agent kept: a redeploy sends what changed, not every path. Unknown base: MANIFEST_BASE_UNKNOWN, and the client sends `manifest`. */
				manifestDiff: manifestDiff.optional(),
				/**
				 * Changed files inline, by path, so a small redeploy needs no objects.missing / objects.put round trips:
				 * base64 of the content raw-deflated with the base release's file at the same path as the preset
				 * dictionary (a delta: a one-line change costs a few bytes). Only with `manifestDiff`; checked against its ids.
				 */
				contents: z.record(sourcePath, z.string().max(4 * 1024 * 1024)).optional(),
				commit: z.string().max(80).nullable(),
				/** Issue 14: the branch and the first line of the commit message, kept in the deployment's record. */
				branch: branchName.optional(),
				message: commitMessage.optional(),
				/** When another deploy of the app runs: wait for it (with a `lock` step event), or fail with DEPLOY_IN_PROGRESS. */
				wait: z.boolean().default(true),
			})
			.refine((p) => (p.manifest === undefined) !== (p.manifestDiff === undefined), { message: "send either manifest or manifestDiff" })
			.refine((p) => (p.app === undefined) !== (p.specRef === undefined), { message: "send either app or specRef" })
			.refine((p) => p.manifestDiff !== undefined || (p.specRef === undefined && p.contents === undefined), { message: "specRef and contents need manifestDiff" }),
		result: deploymentRecord,
	},
	rollback: {
		/** Makes a kept release live again: its own code, build, env, config and routes; no rebuild. Default: the release before the live one. */
		params: z.object({ app: appName, to: deploymentId.optional(), wait: z.boolean().default(true) }),
		result: deploymentRecord,
	},
	ps: {
		params: z.object({ app: appName.optional() }),
		result: z.array(instanceInfo),
	},
	scale: {
		/** Sets instance counts of the live release's processes: new instances are health-checked before they get traffic. */
		params: z.object({ app: appName, processes: z.record(z.string(), z.number().int().min(0).max(100)), wait: z.boolean().default(true) }),
		result: z.object({ app: appName, processes: z.record(z.string(), z.number().int()) }),
	},
	cancel: {
		/** Cancels the app's running deploy (the newest, or the one named): its build is killed, the live release keeps serving. */
		params: z.object({ app: appName, id: deploymentId.optional() }),
		result: z.object({ cancelled: deploymentId.nullable() }),
	},
	"cache.clear": {
		/** Empties the dependency and build caches (of one app, or all), and removes the uploaded files no kept release of any app uses. */
		params: z.object({ app: appName.optional() }),
		result: z.object({
			entries: z.number().int(),
			bytes: z.number(),
			/** The uploaded files removed (absent from older agents). */
			objects: z.object({ objects: z.number().int(), bytes: z.number() }).optional(),
		}),
	},
	events: {
		/** Streams `instance` events (crashes, restarts, crash loops) until cancelled. */
		params: z.object({ app: appName.optional() }),
		result: z.object({}),
	},
	"deployments.list": {
		params: z.object({ app: appName.optional(), limit: z.number().int().min(1).max(1000).default(50) }),
		result: z.array(deploymentRecord),
	},
	"deployments.log": {
		/**
		 * Issue 14: the build log of one deployment (`deployments/<id>.log`), as `log` events, one per line;
		 * default: the app's newest deployment. A preview's deployments are found from the app it previews.
		 */
		params: z.object({ app: appName, id: deploymentId.optional(), /** Issue 18: go on with the lines as they are written, until the deployment ends. */ follow: z.boolean().optional() }),
		/** `status`: how the deployment stands when the call ends (issue 18; absent from older agents). */
		result: z.object({ id: deploymentId, lines: z.number().int(), status: deploymentStatus.optional() }),
	},
	logs: {
		/**
		 * Streams `log` events: the last `lines` matching lines (default 100; every line since `since` when only that
		 * is given), then new ones while `follow` until cancelled. `grep` is plain text, case-insensitive; `instance`
		 * is a row number of `ps` for the app, or a port.
		 */
		params: z.object({
			app: appName,
			lines: z.number().int().min(0).max(100_000).optional(),
			follow: z.boolean().default(false),
			since: z.iso.datetime().optional(),
			grep: z.string().min(1).max(1000).optional(),
			instance: z.number().int().min(1).max(65535).optional(),
		}),
		result: z.object({ lines: z.number().int() }),
	},
	status: {
		/** The agent's, the proxy's and the machine's health (issue 5's Servers view, `deploy servers status`). */
		params: z.object({}),
		result: serverHealth,
	},
	shutdown: {
		/** Stops the daemon (apps keep running); the bridge uses it to replace an outdated agent. */
		params: z.object({}),
		result: z.object({ ok: z.literal(true) }),
	},
	// Issues 6 and 7: each area's methods live in its own file.
	...domainsMethods,
	...previewsMethods,
	...envMethods,
	...scalingMethods,
	...metricsMethods,
	// Issue 16: teams, members, the audit log.
	...teamMethods,
	// Issue 17: API keys and the HTTPS API.
	...apiKeyMethods,
	...dashboardMethods,
	// Issue 18: deploys by `git push`.
	...gitMethods,
	// Issue 18, items 2 and 3: webhooks.
	...hookMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]["params"]>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]["result"]>;
/** The methods whose calls carry a binary part after their line (rpc.ts); no other call may. */
export type MethodWithBinaryPart = { [M in MethodName]: Methods[M] extends { binaryPart: true } ? M : never }[MethodName];
export const takesBinaryPart = (method: MethodName): boolean => "binaryPart" in methods[method];
