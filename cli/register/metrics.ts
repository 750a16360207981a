import type { Command } from "commander";
import { count } from "./arguments.js";

/** issue 7: the commands for metrics and alerts. Only commander loads here; each action imports its module when it runs. */
export function registerMetricsCommands(program: Command): void {
	program
		.command("metrics")
		.description("requests, status codes, latency, bandwidth, CPU, memory and builds, with sparklines")
		.option("-a, --app <name>", "the app (default: the one in this folder; every app of the server when there is none)")
		.option("-s, --server <name>", "the server")
		.option("--since <duration>", "how far back: 1h (10 s buckets), 24h (1 min), 30d (1 h); any of 15m, 6h, 7d...", "1h")
		.option("--alerts", "show the alerts instead (as `deploy alerts`)")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/metrics.js")).metricsCommand(options));

	program
		.command("alerts")
		.description("alerts firing now, and when each one fired and resolved")
		.option("-a, --app <name>", "the app (default: the one in this folder; every app of the server when there is none)")
		.option("-s, --server <name>", "the server")
		.option("-n, --limit <count>", "how many past transitions", count, 50)
		.option("--json", "print one JSON object")
		.action(async (options) => (await import("../commands/metrics.js")).alertsCommand(options));
}
