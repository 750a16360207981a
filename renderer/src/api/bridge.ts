// The renderer's one door to core's api. Two implementations: HTTP (`deploy ui`, any
// browser) and Electron (the preload's window.deployBridge). Only TYPES come from
// core: the renderer runs in a browser sandbox and bundles none of core's code.
import type { ApiInput, ApiMethod, ApiResult } from "../../../core/api/contract.js";
import type { DeployEvent } from "../../../core/protocol/events.js";

export type { ApiInput, ApiMethod, ApiResult, DeployEvent };
export type {
	DeployResult,
	DeploymentRecord,
	InstanceInfo,
	ProjectInfo,
	ServerInfo,
	ServerStatus,
	ServerProbe,
	AddServerInput,
} from "../../../core/api/types.js";

export interface CallOptions {
	/** Each event of a long operation (step, log line, progress), as it happens. */
	onEvent?: (event: DeployEvent) => void;
	/** Aborting cancels the operation on the other side too (a followed log, a deploy). */
	signal?: AbortSignal;
}

export interface Bridge {
	/** Calls one api method; rejects with an ApiError carrying { code, message, hint }. */
	call<M extends ApiMethod>(method: M, input: ApiInput<M>, options?: CallOptions): Promise<ApiResult<M>>;
}

let current: Bridge | null = null;

/** Chosen once at start-up (see main.tsx); stores call through it, views never do. */
export function setBridge(bridge: Bridge): void {
	current = bridge;
}

export function bridge(): Bridge {
	if (!current) throw new Error("The api bridge is not set up yet.");
	return current;
}
