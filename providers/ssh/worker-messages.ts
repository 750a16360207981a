// What the CLI's thread and the SSH worker thread say to each other over the port
// (worker-session.ts, session-worker.ts): structured-clone data only.
import type { AgentBundle, SshTarget } from "../../core/provider.js";
import type { DeployEvent, ErrorInfo } from "../../core/protocol/index.js";

export interface WorkerStart {
	target: SshTarget;
	bundle: AgentBundle;
	connectTimeoutMs?: number;
}

export type ToWorker = { type: "start"; start: WorkerStart } | { type: "adopt" } | { type: "data"; chunk: Uint8Array } | { type: "close" };

export type FromWorker =
	| { type: "event"; event: DeployEvent }
	| { type: "ready"; bytesBefore: number; hostKeyFingerprint: string; agentInstalled: boolean }
	| { type: "failed"; error: ErrorInfo }
	| { type: "data"; chunk: Uint8Array }
	| { type: "channel-closed"; exitCode: number | null; stderr: string[] }
	| { type: "disconnected" }
	| { type: "closed" };
