import * as z from "zod";
import { webhookUrl } from "../metrics.js";
import type { AppSpec } from "../spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 7: deploy.yaml's alert thresholds. `metricsConfig` is spread into the one
// schema (core/protocol/config/schema.ts); `metricsSpec` into toAppSpec.

const alertsConfig = z
	.strictObject({
		enabled: z
			.boolean()
			.default(true)
			.meta({ description: "Evaluate the thresholds below. false turns every alert of the app off.", examples: [false] }),
		webhook: z
			.string()
			.max(2000)
			// A pattern for editors (the JSON Schema), then the wire's own check, so deploy.yaml and the agent agree.
			.regex(/^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/, "must be an http:// or https:// URL")
			.refine((url) => webhookUrl.safeParse(url).success, "must be an http:// or https:// URL with a host name")
			.optional()
			.meta({
				description:
					'URL the agent POSTs each alert to as JSON (`{"type":"deploy.alert","state":"firing"|"resolved","app","kind","message","value","threshold","at","server"}`), with 3 attempts and a 5 s timeout each. Without it alerts are still recorded on the server (`deploy alerts`) and shown by the desktop app. Treat it as a secret: it is never printed or logged.',
				examples: ["https://hooks.example.com/deploy/T0K3N"],
			}),
		errorRatePercent: z
			.number()
			.min(0.1)
			.max(100)
			.default(5)
			.meta({ description: "Fire when at least this percent of the requests over the window answered 5xx (and the window has at least 10 requests).", examples: [2] }),
		p95Ms: z
			.number()
			.int()
			.min(1)
			.max(600_000)
			.default(1000)
			.meta({ description: "Fire when the 95th percentile latency over the window, measured at the proxy, reaches this many milliseconds (with at least 10 requests).", examples: [500] }),
		diskFreePercent: z
			.number()
			.min(0)
			.max(99)
			.default(10)
			.meta({ description: "Fire when the server's disk (where the agent keeps its files) has less than this percent free.", examples: [15] }),
		crashLoop: z
			.boolean()
			.default(true)
			.meta({ description: "Fire when an instance crashed repeatedly and the agent stopped restarting it; resolved by the next deploy.", examples: [true] }),
		windowSeconds: z
			.number()
			.int()
			.min(30)
			.max(3600)
			.default(300)
			.meta({ description: "The span, in seconds, the error rate and the p95 latency are measured over.", examples: [120] }),
	})
	.meta({
		description:
			"Alert thresholds. An alert fires once when its condition starts and once when it resolves, is recorded on the server (`deploy alerts`), sent to `webhook` when set, and shown as a notification by the desktop app while it runs. Without this key the defaults apply, with no webhook.",
		examples: [{ webhook: "https://hooks.example.com/deploy/T0K3N", errorRatePercent: 5, p95Ms: 800, windowSeconds: 300 }],
	});

export const metricsConfig = {
	alerts: alertsConfig.optional(),
};

export function metricsSpec(config: ProjectConfig): Partial<AppSpec> {
	return config.alerts ? { alerts: { ...config.alerts } } : {};
}
