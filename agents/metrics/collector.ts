import { access } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { type AlertsSpec, type AppMetrics, defaultAlerts } from "../../core/protocol/metrics.js";
import { activeConditions } from "../alerts/rules.js";
import { AlertTracker } from "../alerts/tracker.js";
import { postWebhook } from "../alerts/webhook.js";
import type { HasHome, HasLog, HasSupervisor } from "../context/parts.js";
import { readRecords, listApps } from "../deploy/records.js";
import { readReleaseSpec } from "../deploy/release-spec.js";
import { appPaths } from "../home.js";
import { readAppState } from "../processes/state.js";
import { readDisk } from "../status/machine.js";
import { Aggregator } from "./aggregator.js";
import { emptyBucket, mergeBucket } from "./bucket.js";
import { buildStats } from "./builds.js";
import { quantile } from "./histogram.js";
import { HostMap } from "./host-map.js";
import { InstanceSampler } from "./instance-sampler.js";
import { parseAccessLine } from "./access-line.js";
import { LogFollower } from "./log-follower.js";
import { appReport } from "./report.js";
import { SeriesStore } from "./series-store.js";
import { bucketStart, TIERS, tierFor } from "./tiers.js";

/** Every 10 s by default: the finest bucket. Tests set DEPLOY_METRICS_INTERVAL_MS lower. */
const intervalMs = () => Number(process.env.DEPLOY_METRICS_INTERVAL_MS) || 10_000;
const EXPIRE_EVERY_MS = 3_600_000;

/** What the metrics loop reads: the home (apps, the proxy's access log), the instances, and the log. */
type MetricsContext = HasHome & HasSupervisor & HasLog;

/**
 * The agent's metrics loop: each tick reads the proxy's new access log lines and
 * counts them per app (by Host), samples the instances' CPU and memory, appends to
 * the tier files, and evaluates the alert thresholds. One per daemon; `metrics.get`
 * runs a collection first, so an answer includes requests logged a moment ago.
 */
export class MetricsCollector {
	readonly aggregator: Aggregator;
	readonly alerts: AlertTracker;
	readonly #follower: LogFollower;
	readonly #hosts: HostMap;
	readonly #sampler: InstanceSampler;
	readonly #specs = new Map<string, AlertsSpec>();
	#queue: Promise<unknown> = Promise.resolve();
	#timer: NodeJS.Timeout | null = null;
	#expiredAt: number;

	constructor(
		readonly agent: MetricsContext,
		readonly now: () => number = Date.now,
	) {
		const dir = join(agent.home.root, "metrics");
		this.aggregator = new Aggregator(new SeriesStore(join(dir, "apps")), now);
		this.alerts = new AlertTracker(join(dir, "alerts.json"), postWebhook, now);
		this.#follower = new LogFollower(join(agent.home.proxy, "access.log"), join(dir, "access-log.position.json"));
		this.#hosts = new HostMap(agent.home.proxy);
		this.#sampler = new InstanceSampler(agent.supervisor);
		// The first tick expires what aged while the agent was down.
		this.#expiredAt = -Infinity;
	}

	start(): void {
		if (this.#timer) return;
		let busy = false;
		this.#timer = setInterval(() => {
			// A tick slower than the interval (a huge backlog, a slow disk) is not queued up behind.
			if (busy) return;
			busy = true;
			this.tick()
				.catch((error) => this.agent.log(`metrics: ${(error as Error).message}`))
				.finally(() => {
					busy = false;
				});
		}, intervalMs());
		this.#timer.unref();
	}

	stop(): void {
		if (this.#timer) clearInterval(this.#timer);
		this.#timer = null;
	}

	/** One full round: requests, samples, alerts, and hourly expiry. */
	tick(): Promise<void> {
		return this.#serial(async () => {
			await this.#collectRequests();
			const now = this.now();
			for (const [app, samples] of this.#sampler.sample(now)) this.aggregator.addSample(app, now, samples);
			await this.aggregator.flush();
			await this.#evaluateAlerts();
			if (now - this.#expiredAt >= EXPIRE_EVERY_MS) {
				this.#expiredAt = now;
				await this.aggregator.store.expire(TIERS, now);
			}
		});
	}

	async query(app: string | undefined, sinceSeconds: number): Promise<AppMetrics[]> {
		await this.#serial(() => this.#collectRequests());
		const known = new Set([...(await listApps(this.agent.home)), ...(await this.aggregator.apps())]);
		if (app && !known.has(app)) throw new DeployError("APP_UNKNOWN", `There is no app named "${app}" on this server.`, "`deploy ls` lists the deployed apps.");
		const now = this.now();
		const sinceMs = sinceSeconds * 1000;
		const tier = tierFor(sinceMs);
		const from = now - sinceMs;
		const reports: AppMetrics[] = [];
		for (const name of app ? [app] : [...known].sort()) {
			const buckets = await this.aggregator.buckets(name, tier, bucketStart(from, tier));
			reports.push(appReport(name, tier, buckets, from, now, buildStats(await readRecords(this.agent.home, name), from)));
		}
		return reports;
	}

	async #collectRequests(): Promise<void> {
		const now = this.now();
		for (const line of await this.#follower.readLines()) {
			const entry = parseAccessLine(line);
			if (!entry) continue;
			const app = await this.#hosts.appOf(entry.host, now);
			if (app) this.aggregator.addRequest(app, entry.atMs, entry.status, entry.durationMs, entry.bytes);
		}
	}

	async #evaluateAlerts(): Promise<void> {
		const now = this.now();
		const disk = await readDisk(this.agent.home.root).catch(() => null);
		const diskFreePercent = disk && disk.totalBytes > 0 ? Math.round((disk.freeBytes / disk.totalBytes) * 1000) / 10 : null;
		const tier = TIERS[0]!;
		for (const app of await listApps(this.agent.home)) {
			const spec = await this.#alertsSpec(app);
			if (!spec) {
				// Not deployed (any more): whatever was firing for it is over.
				await this.alerts.update(app, [], undefined);
				continue;
			}
			const window = emptyBucket(0);
			for (const bucket of await this.aggregator.buckets(app, tier, bucketStart(now - spec.windowSeconds * 1000, tier))) mergeBucket(window, bucket);
			const conditions = activeConditions(spec, {
				requests: window.requests,
				s5xx: window.s5xx,
				p95Ms: quantile(window.latency, 0.95),
				crashLooped: this.#sampler.crashLooped(app),
				diskFreePercent,
			});
			await this.alerts.update(app, conditions, spec.enabled ? spec.webhook : undefined);
		}
	}

	/** The live release's thresholds (defaults when its deploy.yaml has none); null when nothing is live. */
	async #alertsSpec(app: string): Promise<AlertsSpec | null> {
		const paths = appPaths(this.agent.home, app);
		if (!(await access(paths.state).then(() => true, () => false))) return null;
		const live = (await readAppState(paths.state).catch(() => null))?.live;
		if (!live) return null;
		const key = `${app}:${live}`;
		let spec = this.#specs.get(key);
		if (!spec) {
			spec = (await readReleaseSpec(this.agent.home, app, live).catch(() => null))?.spec.alerts ?? defaultAlerts;
			if (this.#specs.size > 256) this.#specs.clear();
			this.#specs.set(key, spec);
		}
		return spec;
	}

	#serial<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.#queue.then(fn, fn);
		this.#queue = run.catch(() => undefined);
		return run;
	}
}

const collectors = new WeakMap<MetricsContext, MetricsCollector>();

/** The daemon's collector, started on first use (the daemon starts it at boot). */
export function metricsCollector(agent: MetricsContext): MetricsCollector {
	let collector = collectors.get(agent);
	if (!collector) {
		collector = new MetricsCollector(agent);
		collectors.set(agent, collector);
		collector.start();
	}
	return collector;
}
