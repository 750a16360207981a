import type { metricsMethods } from "../../core/protocol/metrics.js";
import { metricsCollector } from "../metrics/collector.js";
import type { Handler } from "./call.js";

/** issue 7: the handlers of core/protocol/metrics.ts. */
export const metricsHandlers: { [M in keyof typeof metricsMethods]: Handler<M> } = {
	"metrics.get": async ({ app, sinceSeconds }, { agent }) => metricsCollector(agent).query(app, sinceSeconds),
	"metrics.alerts": async ({ app, limit }, { agent }) => {
		const { alerts } = metricsCollector(agent);
		return { firing: await alerts.firing(app), history: await alerts.history(app, limit) };
	},
};
