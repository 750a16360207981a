import type { ProxyOption } from "../servers/proxy-choice.js";
import type { DeployEvent, DeploymentRecord, InstanceInfo, ProxyKind, ServerHealth } from "../protocol/index.js";
import type { BootState, FirewallState, ProxyInstall, SystemPurgeResult } from "../protocol/system.js";
import type { Whoami } from "../protocol/team.js";

export type { DeployEvent, DeploymentRecord, InstanceInfo, ServerHealth };

/**
 * The api's inputs and outputs. The CLI calls the api in-process; the desktop and
 * the browser reach the same methods over IPC/HTTP later, so everything here is
 * plain, serialisable data.
 */
export interface StreamOptions {
	onEvent?: (event: DeployEvent) => void;
	signal?: AbortSignal;
	/** Interactive trust-on-first-use: asked only when the flag was not given. */
	confirmHostKey?: (fingerprint: string) => Promise<boolean>;
}

/** Issue 12: what setting a server up found and did, for `servers add` and `servers upgrade`. */
export interface ServerSetupSummary {
	/** How the login reaches root: it is root, or it has passwordless sudo. */
	privilege: "root" | "sudo";
	/** The system, as /etc/os-release names it, and the machine. */
	os: string;
	/** The agent's Node.js ("v24.22.3") and whether this run installed it. */
	node: { version: string; installed: boolean };
	proxy: ProxyInstall & { running: string | null };
	boot: BootState;
	firewall: FirewallState;
}

/** `setup`: what `servers add` set up; absent when a team member's key joined a server its owner set up (issue 16), which `member` then says. */
export type AddedServer = ServerInfo & { setup?: ServerSetupSummary; member?: Whoami };

export interface UpgradedServer {
	name: string;
	setup: ServerSetupSummary;
}

export interface RemovedServer {
	removed: string;
	/** With --purge: what left the server, and what stayed on purpose. */
	purged?: SystemPurgeResult;
}

export interface UpgradeServerInput {
	name: string;
	nodeMirror?: string;
	proxyMirror?: string;
}

export interface RemoveServerInput {
	name: string;
	/** Issue 12: also remove everything `servers add` put on the server (units, runtime, agent, its proxy, apps). */
	purge?: boolean;
}

export interface AddServerInput {
	name: string;
	/** `[user@]host`, the host an address or a Host alias of the user's ssh config; the user defaults to the config's User, else the current one. */
	destination: string;
	/** Default: the ssh config's Port for the host, else 22. */
	port?: number;
	identityFile?: string;
	proxy?: ProxyKind;
	httpPort?: number;
	httpsPort?: number;
	acceptNewHostKey?: boolean;
	/** Issue 14: trust exactly this host key (the one servers.probe showed and a person confirmed); another is refused. */
	hostKeyFingerprint?: string;
	/** Issue 6: false serves plain HTTP only (`--no-tls`); default true. */
	tls?: boolean;
	/** Issue 6: the ACME directory URL; default Let's Encrypt. */
	acmeCa?: string;
	/** Issue 6: a PEM file on this machine with the root the ACME CA's endpoint uses; its content is sent to the server. */
	acmeCaRoot?: string;
	acmeEmail?: string;
	/** Issue 12: Node.js releases from this mirror (official dist layout) instead of nodejs.org. */
	nodeMirror?: string;
	/** Issue 12: proxy release tarballs from this mirror (GitHub releases layout). */
	proxyMirror?: string;
}

/** Issue 14: the first step of adding a server from the UI (servers.probe). */
export interface ServerProbeInput {
	destination: string;
	port?: number;
	identityFile?: string;
}

/** What a read-only login found: nothing was trusted, stored or changed. */
export interface ServerProbe {
	/** host:port */
	where: string;
	user: string;
	/** The key the server showed, `SHA256:...`: pass it to servers.add as hostKeyFingerprint once a person trusts it. */
	hostKeyFingerprint: string;
	/** True when the user's known_hosts already lists this very key. */
	hostKeyKnown: boolean;
	proxies: ProxyOption[];
	/** The proxy that works there without a download (one installed), else the default. */
	recommendedProxy: "caddy" | "traefik";
	/** TCP ports something listens on there: a proxy port among them would fail to bind. */
	listeningPorts: number[];
}

export interface ServerInfo {
	name: string;
	user: string;
	host: string;
	port: number;
	address: string;
	proxy: string;
	httpPort: number;
	httpsPort: number;
	hostKeyFingerprint: string;
	identityFile: string | null;
	/** Issue 6: whether the proxy obtains certificates; `acmeCa` null means Let's Encrypt. */
	tls: boolean;
	acmeCa: string | null;
	acmeEmail: string | null;
	/** Issue 12: how the login reaches the agent: as root, or through passwordless sudo; null for servers added before. */
	privilege: "root" | "sudo" | null;
	nodeMirror: string | null;
	proxyMirror: string | null;
	createdAt: string;
}

export interface DeployInput {
	/** The project folder; default the current directory. */
	dir?: string;
	server?: string;
	app?: string;
	/** When another deploy of the app is running: wait for it (default), or fail with DEPLOY_IN_PROGRESS. */
	wait?: boolean;
	/** Issue 6: deploy a preview (its own instances and URL) even from the production branch or outside git. */
	preview?: boolean;
	/** Issue 6: how long the preview lives after this deploy, e.g. "3d"; default deploy.yaml's previews.ttl (7d). */
	ttl?: string;
	/** Issue 17: over the server's HTTPS API with an API key instead of SSH (`deploy --api URL`, DEPLOY_TOKEN). */
	api?: { url: string; token: string };
}

/** Names an app on a server, the way read commands find it (see core/deploy/target.ts). */
export interface AppTargetInput {
	dir?: string;
	app?: string;
	server?: string;
}

export interface RollbackInput extends AppTargetInput {
	/** The deployment to make live again; default the one before the live one. */
	to?: string;
	wait?: boolean;
}

export interface ScaleInput extends AppTargetInput {
	/** Instance counts by process name, e.g. { web: 3 }. */
	processes: Record<string, number>;
	wait?: boolean;
}

export interface CancelInput extends AppTargetInput {
	/** The deployment to cancel; default the app's newest running one. */
	id?: string;
}

export interface CancelResult {
	app: string;
	server: string;
	/** The deployment cancelled; null when none was running. */
	cancelled: string | null;
}

export interface CacheClearResult {
	/** The app whose caches were cleared; null: every app of the server. */
	app: string | null;
	server: string;
	/** Cache entries removed (dependency installs and build outputs), and their size. */
	entries: number;
	bytes: number;
	/** Uploaded files no kept release of any app uses, removed from the server's store (absent from older agents). */
	objects?: { objects: number; bytes: number };
}

export interface ScaleResult {
	app: string;
	processes: Record<string, number>;
}

/** A project folder known to this machine (linked, or deployed from). */
export interface ProjectInfo {
	name: string;
	dir: string;
	server: string | null;
}

export interface ServerStatus {
	name: string;
	reachable: boolean;
	agentVersion: string | null;
	node: string | null;
	proxy: string | null;
	/** Why it is not reachable, for a person. */
	error?: { code: string; message: string; hint?: string };
	/** The agent's, the proxy's and the machine's health (the agent's `status`); present when reachable. */
	health?: ServerHealth;
}

export interface UploadStats {
	/** Files in the source snapshot. */
	files: number;
	/** Objects the server lacked, and so sent. */
	objectsSent: number;
	/** Compressed payload of those objects, in bytes. */
	objectBytes: number;
	/** Every byte this command wrote towards the server (RPC framing included). */
	bytesSent: number;
}

export interface DeployResult extends DeploymentRecord {
	server: string;
	upload: UploadStats;
}

export interface ListDeploymentsInput {
	dir?: string;
	app?: string;
	server?: string;
	limit?: number;
}

/** Issue 14: which deployment's build log (`deploy logs --build [id]`); default the app's newest. */
export interface BuildLogInput extends AppTargetInput {
	id?: string;
	/** Issue 18: go on until the deployment ends (a detached push's). */
	follow?: boolean;
}

export interface BuildLogResult {
	/** The deployment whose log was printed. */
	id: string;
	app: string;
	server: string;
	lines: number;
	/** How the deployment stood when the log ended (absent from older agents). */
	status?: string;
}

export interface LogsInput {
	dir?: string;
	app?: string;
	server?: string;
	lines?: number;
	follow?: boolean;
	/** An ISO time or a duration back from now (10m, 2h, 1d). */
	since?: string;
	/** Plain text, case-insensitive. */
	grep?: string;
	/** A row number of `deploy ps` for the app (1 = first), or a port. */
	instance?: number;
}

export interface PreviewInput {
	dir?: string;
	port?: number;
}

/** Issue 14: what `deploy preview --stop` stopped. */
export interface PreviewStopResult {
	/** Whether the preview's agent (and with it its proxy) was running. */
	agent: boolean;
	/** How many app instances were running and were stopped. */
	instances: number;
	/** The port its proxy answered on, now free (null when it never had one). */
	port: number | null;
}

export interface InitInput {
	dir?: string;
	force?: boolean;
}

/** What the agent detects in a project folder (`node agent.mjs detect <dir>`); null where it found nothing. */
export interface Detection {
	framework: string | null;
	packageManager: "npm" | "pnpm" | "yarn";
	install: string | null;
	build: string | null;
	/** Command lines by process name; a static site has no web process. */
	processes: Record<string, string>;
	static: { dir: string; spa: boolean } | null;
}

export interface InitResult {
	path: string;
	app: string;
	/** What was detected, one line per fact, for a person. */
	detected: Record<string, string>;
	/** The agent's detection as it printed it (what deploy.yaml now pins). */
	detection: Detection;
}

// --- issue 5 (desktop): the Env and Domains views' read-only config -----------------

/** An app's resolved deploy.yaml for the desktop's views; env values are masked. */
export interface ProjectConfigInfo {
	name: string;
	dir: string;
	server: string | null;
	/** Every variable by name; `value` is always the same mask (projects.revealEnv gives one in the clear). */
	env: { key: string; value: string }[];
	domains: string[];
	/** `http://<app>.<address>.sslip.io[:port]` once the app has a server; null before. */
	generatedUrl: string | null;
	processes: { name: string; command: string | null; instances: number }[];
	install: string | null;
	build: string | null;
	warnings: string[];
}
// --- end issue 5 ---------------------------------------------------------------------
