import * as z from "zod";
import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "../deploy/target.js";
import { validateInput } from "../deploy/validate-input.js";
import { appName } from "../protocol/index.js";
import type { AlertRecord, AppMetrics } from "../protocol/metrics.js";
import { sinceSeconds } from "./since.js";

const HINT = "`deploy metrics --since 1h|24h|30d` shows the app's metrics; `deploy alerts` its alerts.";

const target = { dir: z.string().optional(), app: appName.optional(), server: z.string().min(1).optional() };

export const metricsInput = z.object({
	...target,
	since: z
		.string()
		.default("1h")
		.refine((text) => sinceSeconds(text) !== null, "must be a duration from 1m to 30d, like 1h, 24h or 30d"),
});
export type MetricsInput = z.input<typeof metricsInput>;

export const alertsInput = z.object({ ...target, limit: z.number().int().min(1).max(1000).default(50) });
export type AlertsInput = z.input<typeof alertsInput>;

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
	const { since, ...rest } = validateInput(metricsInput, input, HINT);
	return withTargetSession(context, rest, options, (rpc, app) =>
		rpc.call("metrics.get", { ...(app ? { app } : {}), sinceSeconds: sinceSeconds(since)! }, options.signal ? { signal: options.signal } : {}),
	);
}

/** `deploy alerts`: what fires now and the recorded transitions, newest first. */
export async function getAlerts(context: ApiContext, input: AlertsInput, options: StreamOptions = {}): Promise<AlertsResult> {
	const { limit, ...rest } = validateInput(alertsInput, input, HINT);
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
