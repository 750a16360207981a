// The one contract of the api across process boundaries. The HTTP routes of
// `deploy ui`, Electron's IPC handlers, the preload's allow-list and the renderer's
// bridges are all derived from `apiMethods`: nothing is written per method by hand.
// Zod is the only runtime import, so the preload can bundle this file; the renderer
// imports TYPES only (`import type { ApiMethod, ApiInput, ApiResult } from ".../contract.js"`).
import * as z from "zod";
import { acmeSettings, appName, DeployError, type DeployEvent, deploymentId, mirrorUrl, proxyKind } from "../protocol/index.js";
import { hostKeyFingerprint, sshDestination } from "../protocol/ssh-input.js";
import type { InputIssueParams } from "../protocol/input-issue.js";
import type { Api } from "./index.js";
import { domainsApiMethods } from "./domains.contract.js";
import { previewsApiMethods } from "./previews.contract.js";
import { ttlDuration } from "../protocol/previews.js";
import { envApiMethods } from "./env.contract.js";
import { scalingApiMethods } from "./scaling.contract.js";
import { metricsApiMethods } from "./metrics.contract.js";
import { teamApiMethods } from "./team.contract.js";
import { keysApiMethods } from "./keys.contract.js";
import { gitApiMethods } from "./git.contract.js";
import { hooksApiMethods } from "./hooks.contract.js";
import { appTarget, serverName as name, TARGET_HINT } from "./target.contract.js";

/** "group.method" for every method of Api, e.g. "deployments.create". */
export type ApiMethod = { [G in keyof Api & string]: `${G}.${keyof Api[G] & string}` }[keyof Api & string];

type ApiFunction<M extends ApiMethod> = M extends `${infer G extends keyof Api}.${infer K}`
	? K extends keyof Api[G]
		? Api[G][K] extends (...args: infer A) => infer R
			? (...args: A) => R
			: never
		: never
	: never;

/** The input of a method; `undefined` for methods that take none (servers.list, projects.list). */
export type ApiInput<M extends ApiMethod> = Parameters<ApiFunction<M>> extends [] ? undefined : Parameters<ApiFunction<M>>[0];
export type ApiResult<M extends ApiMethod> = Awaited<ReturnType<ApiFunction<M>>>;

/** What a transport hands a call besides its input: never confirmHostKey (the UI retries with acceptNewHostKey). */
export interface ApiCallOptions {
	onEvent?: (event: DeployEvent) => void;
	signal?: AbortSignal;
}

export interface ApiMethodSpec {
	input: z.ZodType;
	/**
	 * True when a person watches the call's events (a deploy, logs): HTTP answers it as
	 * NDJSON and Electron forwards its events. Every call, stream or not, can be cancelled.
	 */
	stream: boolean;
	/** What a person can do about a bad input; an issue's own hint (core/protocol/input-issue.ts) comes first. */
	hint?: string;
}

const port = z.number().int().min(1).max(65535);
/** Methods that take no input accept nothing, `null` or `{}` (what a form or fetch sends). */
const noInput = z.union([z.undefined(), z.null(), z.strictObject({})]).transform(() => undefined);

/** Issue 17: `deploy --api URL` with DEPLOY_TOKEN: an https origin and an API key. */
const apiTarget = z.strictObject({
	url: z.url({ protocol: /^https$/, error: "must be an https:// URL, like https://deploy.example.com" }),
	token: z.string().regex(/^dp_[A-Za-z0-9_-]{20,200}$/, "DEPLOY_TOKEN must be an API key (dp_…) from `deploy keys create`"),
});

const PS_HINT = "`deploy ps` shows the app's processes and their instances.";

/** Every method of Api; `satisfies` makes the compiler check both the keys and each schema's output type. */
export const apiMethods = {
	"servers.add": {
		stream: true,
		hint: "See `deploy servers add --help`.",
		input: z.strictObject({
			name: appName,
			destination: sshDestination,
			// No default here: the ssh config's Port comes before 22.
			port: port.optional(),
			identityFile: z.string().min(1).optional(),
			proxy: proxyKind.exclude(["builtin"]).optional(),
			httpPort: port.optional(),
			httpsPort: port.optional(),
			acceptNewHostKey: z.boolean().optional(),
			hostKeyFingerprint: hostKeyFingerprint.optional(),
			tls: z.boolean().optional(),
			acmeCa: acmeSettings.shape.directory.optional(),
			acmeCaRoot: z.string().min(1).max(4096).optional(),
			acmeEmail: acmeSettings.shape.email,
			nodeMirror: mirrorUrl.optional(),
			proxyMirror: mirrorUrl.optional(),
		}),
	},
	"servers.probe": {
		stream: true,
		hint: "Give the SSH destination as user@host (or a Host alias of ~/.ssh/config).",
		input: z.strictObject({ destination: sshDestination, port: port.optional(), identityFile: z.string().min(1).optional() }),
	},
	"servers.list": { stream: false, input: noInput },
	"servers.remove": { stream: false, input: z.strictObject({ name, purge: z.boolean().optional() }) },
	"servers.upgrade": {
		stream: true,
		hint: "Give the base URL of a mirror: in the official dist layout for --node-mirror (e.g. https://nodejs.org/dist), of the releases for --proxy-mirror (e.g. https://github.com/traefik/traefik/releases/download).",
		input: z.strictObject({ name, nodeMirror: mirrorUrl.optional(), proxyMirror: mirrorUrl.optional() }),
	},
	"servers.status": { stream: false, input: z.strictObject({ name }) },
	"deployments.create": {
		stream: true,
		hint: "Check --app and --server; a --ttl is written like 7d, 12h or 30m.",
		// Issue 6: preview and ttl make it a preview deployment.
		input: z.strictObject({ ...appTarget, wait: z.boolean().optional(), preview: z.boolean().optional(), ttl: ttlDuration.optional(), api: apiTarget.optional() }),
	},
	"deployments.list": {
		stream: false,
		input: z.strictObject({ ...appTarget, limit: z.number().int().min(1).max(1000).optional() }),
	},
	"deployments.redeploy": { stream: true, hint: TARGET_HINT, input: z.strictObject({ ...appTarget, wait: z.boolean().optional() }) },
	"deployments.rollback": {
		stream: true,
		hint: "`deploy ls` lists the deployments you can roll back to.",
		input: z.strictObject({ ...appTarget, to: deploymentId.optional(), wait: z.boolean().optional() }),
	},
	"deployments.cancel": { stream: false, hint: "`deploy ls` lists the app's deployments and their ids.", input: z.strictObject({ ...appTarget, id: deploymentId.optional() }) },
	"cache.clear": { stream: false, hint: TARGET_HINT, input: z.strictObject(appTarget) },
	"instances.list": { stream: false, hint: PS_HINT, input: z.strictObject(appTarget) },
	"instances.scale": {
		stream: true,
		hint: PS_HINT,
		input: z.strictObject({
			...appTarget,
			// Same rule as deploy.yaml's process names; at most the instances one server runs.
			processes: z
				.record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, "is not a process name (lowercase, like web or worker)"), z.number().int().min(0).max(64, "must be at most 64 instances"))
				.refine((processes) => Object.keys(processes).length > 0, "name at least one process, e.g. web=2"),
			wait: z.boolean().optional(),
		}),
	},
	"logs.read": {
		stream: true,
		hint: TARGET_HINT,
		input: z.strictObject({
			...appTarget,
			lines: z.number().int().min(0).max(100_000).optional(),
			follow: z.boolean().optional(),
			since: z.string().min(1).max(100).optional(),
			grep: z.string().min(1).max(1000).optional(),
			instance: z.number().int().min(1).max(65535).optional(),
		}),
	},
	// Issue 14: a past deployment's build log, opened from `deploy logs --build` or the Deployments view.
	"logs.build": { stream: true, hint: "Pass an id from `deploy ls`, like d0m9x2k4abcd.", input: z.strictObject({ ...appTarget, id: deploymentId.optional(), follow: z.boolean().optional() }) },
	"preview.create": { stream: true, input: z.strictObject({ dir: z.string().min(1).optional(), port: port.optional() }) },
	"preview.stop": { stream: false, input: noInput },
	"projects.init": { stream: false, input: z.strictObject({ dir: z.string().min(1).optional(), force: z.boolean().optional() }) },
	"projects.list": { stream: false, input: noInput },
	"projects.link": { stream: false, input: z.strictObject({ dir: z.string().min(1) }) },
	// --- issue 5 (desktop): the Env and Domains views ---
	"projects.config": { stream: false, input: z.strictObject({ name: appName }) },
	"projects.revealEnv": { stream: false, input: z.strictObject({ name: appName, key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not an environment variable name") }) },
	// --- end issue 5 ---
	// Issues 6 and 7: each area's entries live in its own file.
	...domainsApiMethods,
	...previewsApiMethods,
	...envApiMethods,
	...scalingApiMethods,
	...metricsApiMethods,
	...teamApiMethods,
	...keysApiMethods,
	...gitApiMethods,
	...hooksApiMethods,
} as const satisfies { [M in ApiMethod]: ApiMethodSpec & { input: z.ZodType<ApiInput<M>, unknown> } };

/** The allow-list, in a stable order. */
export const apiMethodNames = Object.keys(apiMethods) as ApiMethod[];

export function isApiMethod(value: unknown): value is ApiMethod {
	return typeof value === "string" && Object.hasOwn(apiMethods, value);
}

/**
 * The one place a call's input is validated, whatever the front (the CLI through
 * createApi, HTTP and IPC through invokeApi): a bad one is BAD_ARGUMENT naming the
 * field, with the method's hint; implementations receive the parsed input.
 */
export function parseApiInput<M extends ApiMethod>(method: M, input: unknown): ApiInput<M> {
	const spec: ApiMethodSpec = apiMethods[method];
	const parsed = spec.input.safeParse(input);
	if (parsed.success) return parsed.data as ApiInput<M>;
	const issues = parsed.error.issues.map(personIssue);
	const problems = issues.map((issue) => issue.sentence ?? `${issue.path || "input"}: ${issue.message}`);
	const first = issues[0]!;
	throw new DeployError("BAD_ARGUMENT", first.sentence ?? `${method}: ${problems[0]}`, first.hint ?? spec.hint ?? `Check the input of ${method}.`, problems);
}

/** One issue as a person reads it: a record's bad key is its key schema's own issue, at the key's path. */
function personIssue(issue: z.core.$ZodIssue): { path: string; message: string; sentence: string | undefined; hint: string | undefined } {
	const own = issue.code === "invalid_key" && issue.issues[0] ? issue.issues[0] : issue;
	const params = (own.code === "custom" ? own.params : undefined) as InputIssueParams | undefined;
	return { path: issue.path.join("/"), message: own.message, sentence: params?.sentence, hint: params?.hint };
}

/**
 * Calls one api method by name with untrusted input (HTTP, IPC): the method must be in
 * the contract (else UNKNOWN_METHOD); the api from createApi parses its input (else
 * BAD_ARGUMENT), so it is validated once. Only onEvent and signal pass: never a
 * confirmHostKey, which only the CLI can answer.
 */
export async function invokeApi<M extends ApiMethod>(api: Api, method: M, input: unknown, options: ApiCallOptions = {}): Promise<ApiResult<M>> {
	if (!isApiMethod(method)) {
		throw new DeployError("UNKNOWN_METHOD", `There is no api method "${String(method)}".`, `Known methods: ${apiMethodNames.join(", ")}.`);
	}
	const [group, key] = method.split(".") as [keyof Api, string];
	// The contract's keys are checked against Api by the `satisfies` above; one cast here
	// spares a hand-written switch over every method.
	const fn = (api[group] as unknown as Record<string, (input: unknown, options: ApiCallOptions) => Promise<unknown>>)[key]!;
	return (await fn(input, { ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) })) as ApiResult<M>;
}

/** What crosses IPC for one call: a result, or the error envelope (never a thrown Error). */
export type ApiEnvelope<M extends ApiMethod = ApiMethod> = { result: ApiResult<M> } | { error: import("../protocol/index.js").ErrorInfo };

/**
 * `window.deployBridge`, exposed by the Electron preload (electron/bridge.ts). Errors
 * come back as `{ error: { code, message, hint, details? } }` rather than rejections,
 * because contextBridge keeps only an Error's message; the renderer rebuilds them.
 * A call with a `callId` can be cancelled with `cancel(callId)` (an AbortSignal cannot
 * cross the bridge). `pathForFile` gives the path of a file or folder dropped on the
 * window (webUtils.getPathForFile; "" when it has none), for drag-a-folder-to-deploy.
 */
export interface DeployBridge {
	call<M extends ApiMethod>(method: M, input: ApiInput<M>, options?: { callId?: string; onEvent?: (event: DeployEvent) => void }): Promise<ApiEnvelope<M>>;
	cancel(callId: string): void;
	pathForFile(file: unknown): string;
	/** The contract's methods, as the preload allows them. */
	readonly methods: readonly ApiMethod[];
}

// --- issue 5 (desktop): the terminal tab --------------------------------------------
// A terminal is bidirectional, so it is not an api method: the preload adds it to the
// same window.deployBridge (electron/terminal-bridge.ts), typed by core/terminal/contract.ts.
export interface DeployBridge {
	readonly terminal: import("../terminal/contract.js").TerminalBridge;
}
// --- end issue 5 ---------------------------------------------------------------------
