import type { Providers } from "../provider.js";
import type { DeploymentRecord } from "../protocol/index.js";
import { withContract } from "./boundary.js";
import type { ApiContext } from "./context.js";
import { createDomainsApiGroups, type DomainsApiGroups } from "./domains.js";
import { createPreviewsApiGroups, type PreviewsApiGroups } from "./previews.js";
import { createEnvApiGroups, type EnvApiGroups } from "./env.js";
import { createScalingApiGroups, type ScalingApiGroups } from "./scaling.js";
import { createMetricsApiGroups, type MetricsApiGroups } from "./metrics.js";
import { createTeamApiGroups, type TeamApiGroups } from "./team.js";
import { createKeysApiGroups, type KeysApiGroups } from "./keys.js";
import { createGitApiGroups, type GitApiGroups } from "./git.js";
import { createHooksApiGroups, type HooksApiGroups } from "./hooks.js";
import type {
	AddedServer,
	AddServerInput,
	RemovedServer,
	RemoveServerInput,
	UpgradedServer,
	UpgradeServerInput,
	AppTargetInput,
	BuildLogInput,
	BuildLogResult,
	CacheClearResult,
	CancelInput,
	CancelResult,
	InstanceInfo,
	ProjectInfo,
	ProjectConfigInfo,
	RollbackInput,
	ScaleInput,
	ScaleResult,
	ServerStatus,
	DeployInput,
	DeployResult,
	InitInput,
	InitResult,
	ListDeploymentsInput,
	LogsInput,
	PreviewInput,
	PreviewStopResult,
	ServerProbe,
	ServerProbeInput,
	ServerInfo,
	StreamOptions,
} from "./types.js";

export type * from "./types.js";

/**
 * The one api of the product. The CLI calls it in-process; Electron's main process
 * and `deploy ui` will expose the same object over IPC and HTTP. Each method loads
 * its implementation on first use, so a front end pays only for what it calls.
 */
export interface Api extends DomainsApiGroups, PreviewsApiGroups, EnvApiGroups, ScalingApiGroups, MetricsApiGroups, TeamApiGroups, KeysApiGroups, GitApiGroups, HooksApiGroups {
	servers: {
		add(input: AddServerInput, options?: StreamOptions): Promise<AddedServer>;
		/** Issue 14: logs in without trusting or changing anything: the host key's fingerprint and the proxy that works there. */
		probe(input: ServerProbeInput, options?: StreamOptions): Promise<ServerProbe>;
		list(): Promise<ServerInfo[]>;
		/** With `purge`, the server is reached and everything `add` installed goes first (issue 12). */
		remove(input: RemoveServerInput, options?: StreamOptions): Promise<RemovedServer>;
		/** Issue 12: the agent, its runtime and a proxy it installed brought to this client's versions, apps serving. */
		upgrade(input: UpgradeServerInput, options?: StreamOptions): Promise<UpgradedServer>;
		status(input: { name: string }, options?: StreamOptions): Promise<ServerStatus>;
	};
	deployments: {
		create(input: DeployInput, options?: StreamOptions): Promise<DeployResult>;
		list(input: ListDeploymentsInput, options?: StreamOptions): Promise<DeploymentRecord[]>;
		rollback(input: RollbackInput, options?: StreamOptions): Promise<DeploymentRecord>;
		/** Issue 18: the live release's source again as a new deployment (caches hit: nothing rebuilt). */
		redeploy(input: AppTargetInput & { wait?: boolean }, options?: StreamOptions): Promise<DeploymentRecord>;
		/** Stops the app's running deploy; the live release keeps serving. */
		cancel(input: CancelInput, options?: StreamOptions): Promise<CancelResult>;
	};
	cache: {
		/** Empties the server's dependency and build caches (of one app, or all). */
		clear(input: AppTargetInput, options?: StreamOptions): Promise<CacheClearResult>;
	};
	instances: {
		list(input: AppTargetInput, options?: StreamOptions): Promise<InstanceInfo[]>;
		scale(input: ScaleInput, options?: StreamOptions): Promise<ScaleResult>;
	};
	logs: {
		read(input: LogsInput, options?: StreamOptions): Promise<{ lines: number }>;
		/** Issue 14: the build log of one deployment (default the newest), as `log` events. */
		build(input: BuildLogInput, options?: StreamOptions): Promise<BuildLogResult>;
	};
	preview: {
		create(input: PreviewInput, options?: StreamOptions): Promise<DeployResult>;
		/** Issue 14: stops the preview's agent, its proxy and its apps; their releases stay for the next `create`. */
		stop(): Promise<PreviewStopResult>;
	};
	projects: {
		init(input: InitInput): Promise<InitResult>;
		list(): Promise<ProjectInfo[]>;
		/** Remembers a local folder as an app (what the desktop's "link a folder" does). */
		link(input: { dir: string }): Promise<ProjectInfo>;
		// --- issue 5 (desktop): read-only config for the Env and Domains views ---
		/** The app's resolved deploy.yaml, env values masked. */
		config(input: { name: string }): Promise<ProjectConfigInfo>;
		/** One env value in the clear, asked for by a person. */
		revealEnv(input: { name: string; key: string }): Promise<{ key: string; value: string }>;
		// --- end issue 5 ---
	};
}

/** The api every front uses: each method validates its input against the contract first (boundary.ts). */
export function createApi(providers: Providers): Api {
	return withContract(implementations({ providers }));
}

/** The implementations, each given input the contract has parsed: none validates it again. */
function implementations(context: ApiContext): Api {
	return {
		...createDomainsApiGroups(context),
		...createPreviewsApiGroups(context),
		...createEnvApiGroups(context),
		...createScalingApiGroups(context),
		...createTeamApiGroups(context),
		...createKeysApiGroups(context),
		...createGitApiGroups(context),
		...createHooksApiGroups(context),
		...createMetricsApiGroups(context),

		servers: {
			add: async (input, options) => (await import("../servers/add.js")).addServer(context, input, options),
			probe: async (input, options) => (await import("../servers/probe-server.js")).probeServer(context, input, options),
			list: async () => (await import("../servers/list.js")).listServers(),
			remove: async (input, options) =>
				input.purge ? (await import("../servers/purge.js")).purgeServer(context, input.name, options) : (await import("../servers/list.js")).removeServer(input.name),
			upgrade: async (input, options) => (await import("../servers/upgrade.js")).upgradeServer(context, input, options),
			status: async (input, options) => (await import("../servers/status.js")).serverStatus(context, input.name, options),
		},
		deployments: {
			create: async (input, options) => (await import("../deploy/remote.js")).deployToServer(context, input, options),
			list: async (input, options) => (await import("../deploy/history.js")).listDeployments(context, input, options),
			rollback: async (input, options) => (await import("../deploy/rollback.js")).rollback(context, input, options),
			redeploy: async (input, options) => (await import("../deploy/redeploy.js")).redeploy(context, input, options),
			cancel: async (input, options) => (await import("../deploy/cancel.js")).cancelDeployment(context, input, options),
		},
		cache: {
			clear: async (input, options) => (await import("../deploy/cache.js")).clearCache(context, input, options),
		},
		instances: {
			list: async (input, options) => (await import("../deploy/instances.js")).listInstances(context, input, options),
			scale: async (input, options) => (await import("../deploy/instances.js")).scale(context, input, options),
		},
		logs: {
			read: async (input, options) => (await import("../deploy/logs.js")).readLogs(context, input, options),
			build: async (input, options) => (await import("../deploy/build-log.js")).readBuildLog(context, input, options),
		},
		preview: {
			create: async (input, options) => (await import("../deploy/preview.js")).deployPreview(context, input, options),
			stop: async () => (await import("../deploy/preview-stop.js")).stopPreview(context),
		},
		projects: {
			init: async (input) => (await import("../deploy/init.js")).initProject(input),
			list: async () => (await import("../projects/projects.js")).listProjects(),
			link: async (input) => (await import("../projects/projects.js")).linkProject(input.dir),
			// --- issue 5 (desktop) ---
			config: async (input) => (await import("../projects/config.js")).projectConfig(input.name),
			revealEnv: async (input) => (await import("../projects/config.js")).revealProjectEnv(input.name, input.key),
			// --- end issue 5 ---
		},
	};
}
