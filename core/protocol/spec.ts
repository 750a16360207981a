import * as z from "zod";
import { domainName } from "./domains.js";
import { appName, deploymentId, mirrorUrl, objectId, projectFolder, sourcePath } from "./names.js";
import { appRoutingSpec } from "./routing.js";
import { appScalingSpec, instanceScalingInfo, processScalingSpec } from "./scaling.js";
import { appMetricsSpec } from "./metrics.js";
import { appPreviewSpec } from "./previews.js";
import { teamName } from "./team.js";

/** One file of the source snapshot: the working tree as it is, committed or not. */
export const manifestEntry = z.object({
	path: sourcePath,
	/** git file modes: regular, executable, symlink (the blob holds the link target). */
	mode: z.enum(["100644", "100755", "120000"]),
	id: objectId,
});
export type ManifestEntry = z.infer<typeof manifestEntry>;

/**
 * A manifest told as changes to the one deployed as `base`: entries added or changed,
 * paths removed, and the hash the result must have (core/protocol/manifest.ts), so a
 * stale or foreign base fails loudly instead of deploying the wrong tree.
 */
export const manifestDiff = z.object({
	base: deploymentId,
	hash: z.string().regex(/^[0-9a-f]{64}$/),
	changed: z.array(manifestEntry).max(1_000_000),
	removed: z.array(sourcePath).max(1_000_000),
});
export type ManifestDiff = z.infer<typeof manifestDiff>;

export const healthcheckSpec = z.object({
	/** HTTP path to GET; without it the check is a TCP connect. */
	path: z.string().startsWith("/").optional(),
	/** Seconds the new instance has to become healthy. */
	timeoutSeconds: z.number().int().min(1).max(600).default(30),
	/** Milliseconds between two probes. */
	intervalMs: z.number().int().min(50).max(60_000).default(250),
	/** The HTTP status a healthy instance answers with; default any 2xx or 3xx. */
	expectedStatus: z.number().int().min(100).max(599).optional(),
});

export const processSpec = z.object({
	/** The command line, run by `sh -c` in the release folder; default: the start script. */
	command: z.string().min(1).optional(),
	instances: z.number().int().min(1).max(100).default(1),
	healthcheck: healthcheckSpec.default({ timeoutSeconds: 30, intervalMs: 250 }),
	/** Seconds an old instance has, after SIGTERM, to finish its requests before SIGKILL. */
	drainSeconds: z.number().int().min(0).max(3600).default(30),
	// Issue 7: auto-scaling and resource limits per process.
	...processScalingSpec,
});
export type ProcessSpec = z.infer<typeof processSpec>;

/**
 * An app as the agent receives it: the validated, resolved deploy.yaml (or the
 * package.json defaults). Anything left out is detected on the server from the files.
 */
export const appSpec = z.object({
	name: appName,
	/** Issue 16: the team the app belongs to (deploy.yaml's `team:`); the agent decides whether the deployer may put it there. */
	team: teamName.optional(),
	/** Install command; default from the lockfile (npm ci, pnpm/yarn install --frozen-lockfile). */
	install: z.string().min(1).optional(),
	/** Build command; default `npm run build` when package.json has a build script. */
	build: z.string().min(1).optional(),
	processes: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/), processSpec).default({}),
	env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).default({}),
	/** Issue 6: custom domains, validated and in ASCII (punycode) form. */
	domains: z.array(domainName).max(100).default([]),
	/** Releases kept for rollback (the live one included); older ones are pruned. */
	keepReleases: z.number().int().min(1).max(100).default(5),
	/** Overrides detection: the framework id (as `deploy init` prints it). */
	framework: z.string().min(1).max(64).optional(),
	/** Overrides the package manager detected from the lockfile. */
	packageManager: z.enum(["npm", "pnpm", "yarn"]).optional(),
	/** Issue 14: the app's package folder in a workspace upload (release-relative); install runs at the release root, build and processes here. */
	root: projectFolder.optional(),
	/** A static site: the folder (after the build) served as files, with an optional SPA fallback to index.html. */
	static: z.object({ dir: projectFolder, spa: z.boolean().default(false) }).optional(),
	/** Seconds install and build may take together before the deploy fails (BUILD_TIMEOUT). */
	buildTimeoutSeconds: z.number().int().min(10).max(7200).default(900),
	// Issue 6: redirects, rewrites, headers, HSTS.
	...appRoutingSpec,
	// Issue 7: scaling settings of the app as a whole, and alert thresholds.
	...appScalingSpec,
	...appMetricsSpec,
	// Issue 6: the marker of a preview app (what it previews, its branch, its time-to-live).
	...appPreviewSpec,
});
export type AppSpec = z.infer<typeof appSpec>;

export const proxyKind = z.enum(["traefik", "caddy", "builtin"]);
export type ProxyKind = z.infer<typeof proxyKind>;

/** Let's Encrypt's production directory: the CA a server uses unless told otherwise. */
export const letsEncryptDirectory = "https://acme-v02.api.letsencrypt.org/directory";

/** A PEM certificate (or bundle) the proxy trusts when it talks to a private ACME CA. Public, not a secret. */
const pemCertificates = z
	.string()
	.max(256 * 1024)
	.regex(/^\s*-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, "must be PEM certificates (-----BEGIN CERTIFICATE-----)");

/** Issue 6: where a server's proxy gets certificates (ACME), per server. */
export const acmeSettings = z.object({
	/** The ACME directory URL (Let's Encrypt, its staging, or a private CA such as Pebble or step-ca). */
	directory: z.string().url().max(2000).regex(/^https:\/\//, "must be an https:// ACME directory URL"),
	/** PEM of the root that signs the CA's own HTTPS endpoint, when the system does not trust it. */
	caRoot: pemCertificates.optional(),
	/** The ACME account's contact address (expiry notices). */
	email: z.string().email().max(254).optional(),
});
export type AcmeSettings = z.infer<typeof acmeSettings>;

/** What `servers add` asks the agent to set up, and what it keeps in server.json. */
export const serverSetup = z.object({
	proxy: proxyKind,
	httpPort: z.number().int().min(1).max(65535),
	httpsPort: z.number().int().min(1).max(65535),
	/** The address users reach the server at: used for the `<app>.<address>.sslip.io` URL. */
	address: z.string().min(1),
	/** Issue 6: false serves every host over plain HTTP (private networks, tests). Left out (servers set up before TLS existed): on. */
	tls: z.boolean().optional(),
	/** Issue 6: the ACME CA certificates come from; left out: Let's Encrypt. */
	acme: acmeSettings.optional(),
	/** Issue 12: where the agent downloads the Node.js releases apps ask for (official dist layout); left out: nodejs.org. */
	nodeMirror: mirrorUrl.optional(),
});
export type ServerSetup = z.infer<typeof serverSetup>;

/** What `deploy ps` shows for one instance. */
export const instanceStatus = z.enum(["starting", "running", "backoff", "crashed", "draining", "stopped"]);
export type InstanceStatus = z.infer<typeof instanceStatus>;

export const instanceInfo = z.object({
	app: z.string(),
	process: z.string(),
	deploymentId: z.string(),
	status: instanceStatus,
	pid: z.number().int().nullable(),
	port: z.number().int(),
	startedAt: z.string().nullable(),
	uptimeSeconds: z.number().nullable(),
	restarts: z.number().int(),
	/** Percent of one core, averaged since the last sample; null when not measurable. */
	cpuPercent: z.number().nullable(),
	memoryBytes: z.number().nullable(),
	/** Why it is in this state (the last exit, the crash loop), for a person. */
	message: z.string().optional(),
	/** Issue 12: the Node.js version it runs on, "v22.23.5". */
	node: z.string().optional(),
	/**
	 * Issue 14: set on the one row of a static site the proxy serves itself (no process
	 * of its own: pid null, port the proxy's HTTP port): which proxy, and the requests it
	 * logged for the app's hosts in the last `windowSeconds`.
	 */
	served: z.object({ by: proxyKind, requests: z.number().int(), windowSeconds: z.number().int() }).optional(),
	// Issue 7: the process's autoscale policy, limits and last decision.
	...instanceScalingInfo,
});
export type InstanceInfo = z.infer<typeof instanceInfo>;

export const deploymentStatus = z.enum(["building", "deploying", "live", "failed", "superseded", "interrupted"]);
export type DeploymentStatus = z.infer<typeof deploymentStatus>;
