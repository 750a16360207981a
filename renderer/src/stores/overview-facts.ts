// What the Overview shows, computed from what the api already returns (deployments,
// instances, domains, alerts). Pure: tested by exact equality in test/renderer.
import type { DomainList } from "../../../core/api/domains.js";
import type { AlertRecord } from "../../../core/api/metrics.js";
import type { DeploymentRecord, InstanceInfo } from "../api/bridge.js";

/** The release serving now; null before the first deploy that went live. */
export function currentRelease(records: readonly DeploymentRecord[]): DeploymentRecord | null {
	return records.find((record) => record.status === "live") ?? null;
}

/** One word for the app: live when a release serves, else what its latest deployment is (failed, building...). */
export function appStatus(records: readonly DeploymentRecord[]): string {
	return currentRelease(records)?.status ?? records[0]?.status ?? "not deployed";
}

/** The latest deployment when it failed or was interrupted: what Apps and the Overview show as the failure. */
export function lastFailure(records: readonly DeploymentRecord[]): DeploymentRecord | null {
	const latest = records[0];
	return latest && (latest.status === "failed" || latest.status === "interrupted") ? latest : null;
}

/** A failure's first line, short enough for a card: the whole text stays in the Deployments view. */
export function shortReason(message: string, max = 160): string {
	const line = message.split("\n").find((part) => part.trim() !== "")?.trim() ?? "";
	return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export interface ProcessCount {
	process: string;
	running: number;
	total: number;
}

/** Instances running out of those that should (draining and stopped ones are on their way out), per process. */
export function instanceCounts(instances: readonly InstanceInfo[]): { running: number; total: number; processes: ProcessCount[] } {
	const processes = new Map<string, ProcessCount>();
	for (const instance of instances) {
		if (instance.status === "draining" || instance.status === "stopped") continue;
		const count = processes.get(instance.process) ?? { process: instance.process, running: 0, total: 0 };
		count.total += 1;
		if (instance.status === "running") count.running += 1;
		processes.set(instance.process, count);
	}
	const list = [...processes.values()];
	return { running: list.reduce((sum, p) => sum + p.running, 0), total: list.reduce((sum, p) => sum + p.total, 0), processes: list };
}

export interface LiveUrl {
	url: string;
	/** generated: the sslip.io host every app gets; domain: a custom one. */
	kind: "generated" | "domain";
	/** The app's status for the generated URL; the certificate's state for a domain. */
	state: string;
}

/**
 * Where the live app answers: its generated host, then each custom domain, at the live
 * URL's scheme and port (the proxy redirects HTTP to HTTPS where a domain has a
 * certificate). Until the domains are read, the live URL alone.
 */
export function liveUrls(live: DeploymentRecord | null, domains: DomainList | null): LiveUrl[] {
	if (!live?.url) return [];
	if (!domains) return [{ url: live.url, kind: "generated", state: live.status }];
	const at = (host: string) => {
		const url = new URL(live.url ?? "");
		url.hostname = host;
		return url.origin;
	};
	return [
		{ url: at(domains.defaultHost), kind: "generated", state: live.status },
		...domains.domains.map((domain): LiveUrl => ({ url: at(domain.domain), kind: "domain", state: domain.certificate.state })),
	];
}

export interface RecentError {
	at: string;
	/** Where it comes from: a deployment (its id), an instance (process:port), an alert (its kind). */
	source: string;
	code: string;
	message: string;
	hint?: string;
}

/** Failed deployments, crashed instances and firing alerts, newest first. */
export function recentErrors(records: readonly DeploymentRecord[], instances: readonly InstanceInfo[], firing: readonly AlertRecord[], limit = 5): RecentError[] {
	const errors: RecentError[] = [];
	for (const record of records) {
		if (!record.error) continue;
		errors.push({ at: record.finishedAt ?? record.createdAt, source: `deployment ${record.id}`, code: record.error.code, message: record.error.message, ...(record.error.hint ? { hint: record.error.hint } : {}) });
	}
	for (const instance of instances) {
		if (instance.status !== "crashed" && instance.status !== "backoff") continue;
		errors.push({ at: instance.startedAt ?? "", source: `instance ${instance.process}:${instance.port}`, code: instance.status, message: instance.message ?? `${instance.restarts} restarts` });
	}
	for (const alert of firing) errors.push({ at: alert.at, source: `alert ${alert.kind}`, code: "firing", message: alert.message });
	return errors.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
