import type { metricsMethods } from "../../core/protocol/metrics.js";
import type { Handler } from "./call.js";

/** issue 7: the handlers of core/protocol/metrics.ts. */
export const metricsHandlers: { [M in keyof typeof metricsMethods]: Handler<M> } = {};
