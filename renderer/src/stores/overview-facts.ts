// What the Overview shows, computed from what the api already returns (deployments,
// instances, domains, alerts). Pure: tested by exact equality in test/renderer.
import type { DomainList } from "../../../core/api/domains.js";
import type { AlertRecord } from "../../../core/api/metrics.js";
import type { DeploymentRecord, InstanceInfo } from "../api/bridge.js";

/**
 * Issue 14: the app's own deployments. An app's history holds its previews' too (each
 * marked `preview`); a live preview is neither the app's release nor its URL.
 */
export function productionOf(records: readonly DeploymentRecord[]): DeploymentRecord[] {
	return records.filter((record) => !record.preview);
}

/** The release serving now; null before the first deploy that went live. */
export function currentRelease(records: readonly DeploymentRecord[]): DeploymentRecord | null {
	return productionOf(records).find((record) => record.status === "live") ?? null;
}

/** One word for the app: live when a release serves, else what its latest deployment is (failed, building...). */
export function appStatus(records: readonly DeploymentRecord[]): string {
	return currentRelease(records)?.status ?? productionOf(records)[0]?.status ?? "not deployed";
}

/** The latest deployment when it failed or was interrupted: what Apps and the Overview show as the failure. */
export function lastFailure(records: readonly DeploymentRecord[]): DeploymentRecord | null {
	const latest = productionOf(records)[0];
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
 * Where the live app answers: its generated URL (deploy.yaml's sslip.io host, plain HTTP),
 * then each custom domain: over HTTPS when it gets a certificate (at the live URL's port,
 * which the agent gives the first domain), else at the generated URL's port.
 */
export function liveUrls(live: DeploymentRecord | null, domains: DomainList | null, generatedUrl: string | null): LiveUrl[] {
	if (!live?.url) return [];
	const liveUrl = new URL(live.url);
	const urls: LiveUrl[] = [{ url: generatedUrl ?? live.url, kind: "generated", state: live.status }];
	for (const domain of domains?.domains ?? []) {
		// The agent's own URL for a domain the release went live with (issue 14): https only once
		// its certificate was held, on the proxy's real ports.
		const recorded = live.urls?.find((entry) => entry.host === domain.domain && entry.kind === "domain");
		if (recorded) {
			urls.push({ url: recorded.url, kind: "domain", state: domain.certificate.state });
			continue;
		}
		const tls = domain.certificate.state !== "none";
		const base = new URL(tls ? (liveUrl.protocol === "https:" ? live.url : "https://localhost") : (generatedUrl ?? live.url));
		base.hostname = domain.domain;
		urls.push({ url: base.origin, kind: "domain", state: domain.certificate.state });
	}
	// Until the config is read, the live URL may be a domain's: listed once.
	return urls.filter((entry, index) => urls.findIndex((other) => other.url === entry.url) === index);
}

export interface RecentError {
	at: string;
	/** Where it comes from: a deployment (its id), an instance (process:port), an alert (its kind). */
	source: string;
	code: string;
	message: string;
	hint?: string;
}

/** Failed deployments, crashed instances and firing alerts, newest first, then certificates the proxy could not get (they carry no time). */
export function recentErrors(
	records: readonly DeploymentRecord[],
	instances: readonly InstanceInfo[],
	firing: readonly AlertRecord[],
	domains: DomainList | null = null,
	limit = 5,
): RecentError[] {
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
	for (const domain of domains?.domains ?? []) {
		const { state, message } = domain.certificate;
		if (state === "failed" || state === "expired") errors.push({ at: "", source: `certificate ${domain.unicode}`, code: state, message: message ?? `The certificate of ${domain.unicode} is ${state}.` });
	}
	return errors.sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}
