import type { DeployEvent, DeploymentRecord, InstanceInfo, ProxyKind } from "../protocol/index.js";

export type { DeployEvent, DeploymentRecord, InstanceInfo };

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

export interface AddServerInput {
	name: string;
	/** `user@host`; the user defaults to the current one when left out. */
	destination: string;
	port?: number;
	identityFile?: string;
	proxy?: ProxyKind;
	httpPort?: number;
	httpsPort?: number;
	acceptNewHostKey?: boolean;
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
	createdAt: string;
}

export interface DeployInput {
	/** The project folder; default the current directory. */
	dir?: string;
	server?: string;
	app?: string;
	/** When another deploy of the app is running: wait for it (default), or fail with DEPLOY_IN_PROGRESS. */
	wait?: boolean;
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

export interface LogsInput {
	dir?: string;
	app?: string;
	server?: string;
	lines?: number;
	follow?: boolean;
}

export interface PreviewInput {
	dir?: string;
	port?: number;
}

export interface InitInput {
	dir?: string;
	force?: boolean;
}

export interface InitResult {
	path: string;
	app: string;
	detected: Record<string, string>;
}
