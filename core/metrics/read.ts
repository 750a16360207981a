import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "../deploy/target.js";
import { type AlertRecord, type AppMetrics, sinceSeconds } from "../protocol/metrics.js";

/** `since` as the contract accepts it (metricsSince); default the last hour. */
export interface MetricsInput extends AppTargetInput {
	since?: string;
}

export interface AlertsInput extends AppTargetInput {
	/** Recorded transitions to return; default 50. */
	limit?: number;
}

export interface AlertsResult {
	/** The server the alerts were read from. */
	server: string;
	firing: AlertRecord[];
	history: AlertRecord[];
}

/**
 * `deploy metrics`: the app's (or, outside an app's folder, every app's) requests,
 * status codes, latency, bandwidth, CPU, memory and builds, as the agent kept them.
 */
export async function getMetrics(context: ApiContext, input: MetricsInput, options: StreamOptions = {}): Promise<AppMetrics[]> {
	const { since = "1h", ...rest } = input;
	return withTargetSession(context, rest, options, (rpc, app) =>
		rpc.call("metrics.get", { ...(app ? { app } : {}), sinceSeconds: sinceSeconds(since)! }, options.signal ? { signal: options.signal } : {}),
	);
}

/** `deploy alerts`: what fires now and the recorded transitions, newest first. */
export async function getAlerts(context: ApiContext, input: AlertsInput, options: StreamOptions = {}): Promise<AlertsResult> {
	const { limit = 50, ...rest } = input;
	return withTargetSession(context, rest, options, async (rpc, app, server) => ({
		server,
		...(await rpc.call("metrics.alerts", { ...(app ? { app } : {}), limit }, options.signal ? { signal: options.signal } : {})),
	}));
}

type Rpc = Awaited<ReturnType<Awaited<ReturnType<typeof resolveTarget>>["open"]>>["rpc"];

async function withTargetSession<T>(
	context: ApiContext,
	input: { dir?: string | undefined; app?: string | undefined; server?: string | undefined },
	options: StreamOptions,
	fn: (rpc: Rpc, app: string | undefined, server: string) => Promise<T>,
): Promise<T> {
	const parsed = { ...(input.dir ? { dir: input.dir } : {}), ...(input.app ? { app: input.app } : {}), ...(input.server ? { server: input.server } : {}) };
	const resolved = await withStore((store) => resolveTarget(context, store, parsed, options, "read"));
	const session = await resolved.open();
	try {
		return await fn(session.rpc, resolved.app, resolved.server);
	} finally {
		await session.close();
	}
}
