import type { AlertRecord, AlertsResult, AppMetrics } from "../../core/api/metrics.js";
import { formatLatency } from "../../core/protocol/duration.js";
import { formatSize } from "../../core/protocol/size.js";
import { pc } from "./colors.js";
import { table } from "./human.js";
import { max, mean, sparkline } from "./sparkline.js";

/** Columns a sparkline may take: the whole range squeezed into a line that fits 100 columns. */
const SPARK_WIDTH = 60;

/** `deploy metrics` for a person: totals as a table, then one sparkline per measure. Plain text: it reads the same in a CI log. */
export function metricsText(reports: readonly AppMetrics[], since: string): string {
	if (reports.length === 0) return "No apps on this server yet. Run `deploy` in the app's folder.";
	return reports.map((report) => appText(report, since)).join("\n\n");
}

function appText(report: AppMetrics, since: string): string {
	const { totals, points } = report;
	const lines = [pc.bold(`${report.app} · last ${since} · ${bucketName(report.resolutionSeconds)} buckets`), ""];
	lines.push(
		table(
			[
				[
					String(totals.requests),
					String(totals.s2xx),
					String(totals.s3xx),
					String(totals.s4xx),
					String(totals.s5xx),
					totals.errorRatePercent === null ? "-" : `${totals.errorRatePercent}%`,
					ms(totals.latencyMs?.p50),
					ms(totals.latencyMs?.p95),
					ms(totals.latencyMs?.p99),
					formatSize(totals.bytes),
				],
			],
			["REQUESTS", "2XX", "3XX", "4XX", "5XX", "5XX RATE", "P50", "P95", "P99", "SENT"],
		),
		"",
	);
	const cpu = points.map((p) => p.cpuPercent);
	const memory = points.map((p) => p.memoryBytes);
	const rows: [string, string, string][] = [
		["requests", sparkline(points.map((p) => p.requests), SPARK_WIDTH), `${totals.requests} total`],
		["5xx", sparkline(points.map((p) => p.s5xx), SPARK_WIDTH), `${totals.s5xx} total`],
		["p95", sparkline(points.map((p) => p.p95), SPARK_WIDTH, max), `peak ${ms(peak(points.map((p) => p.p95)))}`],
		["sent", sparkline(points.map((p) => p.bytes), SPARK_WIDTH), formatSize(totals.bytes)],
		["cpu", sparkline(cpu, SPARK_WIDTH, mean), `avg ${percent(average(cpu))}, peak ${percent(peak(cpu))}`],
		["memory", sparkline(memory, SPARK_WIDTH, mean), `avg ${bytes(average(memory))}, peak ${bytes(peak(memory))}`],
	];
	for (const instance of report.instances) {
		const values = instance.points.map((p) => p.cpuPercent);
		rows.push([`  ${instance.id} cpu`, sparkline(values, SPARK_WIDTH, mean), `avg ${percent(average(values))}`]);
		const mem = instance.points.map((p) => p.memoryBytes);
		rows.push([`  ${instance.id} mem`, sparkline(mem, SPARK_WIDTH, mean), `avg ${bytes(average(mem))}`]);
	}
	const label = Math.max(...rows.map(([name]) => name.length));
	for (const [name, line, summary] of rows) lines.push(`${name.padEnd(label)}  ${line.padEnd(Math.min(SPARK_WIDTH, points.length))}  ${pc.dim(summary)}`);
	lines.push("", buildsLine(report));
	return lines.join("\n");
}

function buildsLine({ builds }: AppMetrics): string {
	if (builds.total === 0) return "builds    none finished in this range";
	const time = builds.durationSeconds ? `, time p50 ${builds.durationSeconds.p50} s, p95 ${builds.durationSeconds.p95} s, max ${builds.durationSeconds.max} s` : "";
	return `builds    ${builds.total} finished, ${builds.succeeded} succeeded, ${builds.failed} failed (${builds.successRatePercent}% success)${time}`;
}

/** `deploy alerts` for a person: what fires now, then the transitions. */
export function alertsText(result: AlertsResult): string {
	const lines: string[] = [];
	lines.push(result.firing.length ? pc.bold(`Firing on ${result.server}:`) : `Nothing is firing on ${result.server}.`);
	for (const alert of result.firing) lines.push(`  ${pc.red("●")} ${alert.app} ${alert.kind}: ${alert.message} ${pc.dim(`(since ${alert.at})`)}`);
	if (result.history.length === 0) return [...lines, "", "No alert has fired yet."].join("\n");
	lines.push("", table(result.history.map(historyRow), ["AT", "APP", "ALERT", "STATE", "WEBHOOK", "MESSAGE"]));
	return lines.join("\n");
}

function historyRow(alert: AlertRecord): string[] {
	const delivery = alert.delivery.status === "failed" ? `failed (${alert.delivery.error ?? "?"}, ${alert.delivery.attempts} tries)` : alert.delivery.status;
	return [alert.at.replace(/\.\d+Z$/, "Z"), alert.app, alert.kind, alert.state, delivery, alert.message];
}

function bucketName(seconds: number): string {
	return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`;
}

function ms(value: number | null | undefined): string {
	return value === null || value === undefined ? "-" : formatLatency(value);
}

function percent(value: number | null): string {
	return value === null ? "-" : `${value.toFixed(1)}%`;
}

function bytes(value: number | null): string {
	return value === null ? "-" : formatSize(Math.round(value));
}

function measured(values: readonly (number | null)[]): number[] {
	return values.filter((value): value is number => value !== null);
}

function average(values: readonly (number | null)[]): number | null {
	const list = measured(values);
	return list.length ? mean(list) : null;
}

function peak(values: readonly (number | null)[]): number | null {
	const list = measured(values);
	return list.length ? max(list) : null;
}
