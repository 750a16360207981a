import type { DoctorReport, ProcessScaling, ScalingDecision } from "../../core/api/scaling.js";
import { formatSize } from "../../core/protocol/size.js";
import { table } from "./human.js";

/** `10:42:07 up 1→2: CPU 93% > 70% averaged over 30 s`: one decision on one line. */
export function decisionLine(d: ScalingDecision): string {
	const time = d.at.slice(11, 19);
	const change = d.action === "restart" ? "restarted an instance" : d.action === "hold" ? `held at ${d.to} (${d.kind})` : `${d.kind === "failed" ? "failed to scale " : ""}${d.action} ${d.from}→${d.to}`;
	return `${time} ${change}: ${d.reason}`;
}

/**
 * What `deploy ps` prints under its table, a line per process that has a policy or
 * limits: `web  autoscale 1-4, limits memory 512 MiB cpu 0.5 (watch)  last: …`.
 */
export function scalingLines(processes: ProcessScaling[]): string[] {
	const apps = new Set(processes.map((p) => p.app)).size > 1;
	return processes
		.filter((p) => p.autoscale || p.limits)
		.map((p) => {
			const parts = [p.autoscale ? `autoscale ${p.autoscale.min}-${p.autoscale.max}` : "autoscale off"];
			if (p.limits) parts.push(`limits ${limitsText(p)}`);
			const last = p.last ? `; last: ${decisionLine(p.last)}` : p.autoscale ? "; no decision yet" : "";
			return `${apps ? `${p.app}/` : ""}${p.process}: ${parts.join(", ")}${last}`;
		});
}

function limitsText(p: ProcessScaling): string {
	const limits = [p.limits?.memoryBytes !== undefined ? `memory ${formatSize(p.limits.memoryBytes)}` : null, p.limits?.cpu !== undefined ? `cpu ${p.limits.cpu}` : null].filter(Boolean);
	return `${limits.join(" ")}${p.enforcement ? ` (${p.enforcement.mode})` : ""}`;
}

export function decisionsTable(decisions: ScalingDecision[]): string {
	return table(
		decisions.map((d) => [d.at.replace("T", " ").slice(0, 19), d.process, d.kind, d.action === "hold" || d.action === "restart" ? d.action : `${d.action} ${d.from}→${d.to}`, d.reason]),
		["TIME", "PROCESS", "KIND", "CHANGE", "REASON"],
	);
}

/** One line per check (`ok`, `warn`, `FAIL`), its hint indented under it. */
export function doctorText(report: DoctorReport): string {
	const lines = [`${report.server}:`];
	for (const check of report.checks) {
		lines.push(`  ${(check.status === "fail" ? "FAIL" : check.status).padEnd(4)}  ${check.name.padEnd(7)}  ${check.message}`);
		if (check.hint && check.status !== "ok") lines.push(`${" ".repeat(17)}hint: ${check.hint}`);
	}
	return lines.join("\n");
}
