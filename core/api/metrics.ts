import type { AlertsInput, AlertsResult, MetricsInput } from "../metrics/read.js";
import type { AppMetrics } from "../protocol/metrics.js";
import type { StreamOptions } from "./types.js";
import type { ApiContext } from "./context.js";

export type { AlertsInput, AlertsResult, MetricsInput } from "../metrics/read.js";
export type { AlertRecord, AppMetrics, MetricsPoint } from "../protocol/metrics.js";

/**
 * issue 7: the api groups for metrics and alerts, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
export interface MetricsApiGroups {
	metrics: {
		/** Requests, status codes, latency percentiles, bandwidth, CPU, memory and builds over `since` (1h, 24h, 30d...). */
		get(input: MetricsInput, options?: StreamOptions): Promise<AppMetrics[]>;
		/** Alerts firing now and the recorded firing/resolved transitions. */
		alerts(input: AlertsInput, options?: StreamOptions): Promise<AlertsResult>;
	};
}

export function createMetricsApiGroups(context: ApiContext): MetricsApiGroups {
	return {
		metrics: {
			get: async (input, options) => (await import("../metrics/read.js")).getMetrics(context, input, options),
			alerts: async (input, options) => (await import("../metrics/read.js")).getAlerts(context, input, options),
		},
	};
}
