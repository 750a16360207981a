import { useEffect, useState } from "react";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { LineChart } from "../components/LineChart.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { type AlertRecord, type AppMetrics, RANGES, SAMPLE_INTERVAL_MS, useMetrics } from "../stores/metrics.js";
import "../styles/analytics.css";
import { useChosenProject } from "../stores/chosen-project.js";
import { formatLatency } from "../text/duration.js";
import { formatSize } from "../text/size.js";

/**
 * The app's traffic, errors, latency, bandwidth, CPU, memory and builds as the agent
 * keeps them (1h, 24h, 30d), its alerts, and a live CPU/memory chart per instance.
 */
export function AnalyticsView() {
	const { projects, project, selectApp } = useChosenProject();
	const { series, sampling, error, start, stop, report, alerts, reportError, range, setRange } = useMetrics();
	const dir = project?.dir;
	const name = project?.name;
	const server = project?.server ?? null;
	useEffect(() => {
		if (!dir || !name) return;
		start({ dir, name, server });
		// Nothing is sampled unseen: leaving the view stops it.
		return () => stop();
	}, [start, stop, dir, name, server]);

	return (
		<>
			<header className="view-header">
				<h1>Analytics</h1>
				{projects.length ? <AppPicker projects={projects} dir={dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? (
				<>
					<div className="analytics-toolbar">
						<fieldset className="range-picker">
							<legend>Range</legend>
							{RANGES.map((choice) => (
								<label key={choice} className="radio">
									<input type="radio" name="range" value={choice} checked={range === choice} onChange={() => void setRange(project, choice)} />
									{choice}
								</label>
							))}
						</fieldset>
						<NotificationSwitch />
					</div>
					{reportError ? <ErrorBox error={reportError} title="Metrics unavailable" /> : null}
					{alerts ? <Alerts firing={alerts.firing} history={alerts.history} /> : null}
					{report ? <Report report={report} /> : reportError ? null : <Empty>Loading the metrics of {project.name}…</Empty>}
					<h2>Instances, live</h2>
					<p className="muted" aria-live="polite">
						{sampling ? `Sampling CPU and memory every ${SAMPLE_INTERVAL_MS / 1000} s while this view is open.` : "Not sampling."}
					</p>
					{error ? <ErrorBox error={error} title="Instances unavailable" /> : null}
					{sampling && !error && series.length === 0 ? <Empty>Waiting for the first sample of {project.name}…</Empty> : null}
					<ul className="cards charts">
						{series.map((entry) => (
							<li key={entry.id} className="card" aria-label={`Instance ${entry.id}`}>
								<header className="card-header">
									<h2>
										{entry.process} <span className="muted">:{entry.port}</span>
									</h2>
									<StatusBadge status={entry.status} />
								</header>
								<LineChart label="CPU" max={100} values={entry.samples.map((sample) => sample.cpuPercent)} format={(value) => `${value.toFixed(1)} %`} />
								<LineChart label="Memory" max={64 * 1024 * 1024} values={entry.samples.map((sample) => sample.memoryBytes)} format={formatSize} />
							</li>
						))}
					</ul>
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}

function Report({ report }: { report: AppMetrics }) {
	const { totals, points, builds } = report;
	const resolution = report.resolutionSeconds < 60 ? `${report.resolutionSeconds} s` : report.resolutionSeconds < 3600 ? `${report.resolutionSeconds / 60} min` : "1 h";
	return (
		<section aria-label="Traffic and builds">
			<dl className="totals">
				<Total label="Requests" value={String(totals.requests)} />
				<Total label="2xx / 3xx / 4xx / 5xx" value={`${totals.s2xx} / ${totals.s3xx} / ${totals.s4xx} / ${totals.s5xx}`} />
				<Total label="5xx rate" value={totals.errorRatePercent === null ? "–" : `${totals.errorRatePercent} %`} />
				<Total label="Latency p50 / p95 / p99" value={totals.latencyMs ? `${formatLatency(totals.latencyMs.p50)} / ${formatLatency(totals.latencyMs.p95)} / ${formatLatency(totals.latencyMs.p99)}` : "–"} />
				<Total label="Sent" value={formatSize(totals.bytes)} />
				<Total
					label="Builds"
					value={builds.total ? `${builds.succeeded} of ${builds.total} succeeded${builds.durationSeconds ? `, p50 ${builds.durationSeconds.p50} s` : ""}` : "none in range"}
				/>
			</dl>
			<p className="muted">One point per {resolution}.</p>
			<ul className="cards charts">
				<ChartCard title="Requests" values={points.map((p) => p.requests)} format={(v) => String(v)} />
				<ChartCard title="5xx" values={points.map((p) => p.s5xx)} format={(v) => String(v)} />
				<ChartCard title="4xx" values={points.map((p) => p.s4xx)} format={(v) => String(v)} />
				<ChartCard title="Latency p50" values={points.map((p) => p.p50)} format={formatLatency} />
				<ChartCard title="Latency p95" values={points.map((p) => p.p95)} format={formatLatency} />
				<ChartCard title="Latency p99" values={points.map((p) => p.p99)} format={formatLatency} />
				<ChartCard title="Bandwidth" values={points.map((p) => p.bytes)} format={formatSize} />
				<ChartCard title="App CPU" values={points.map((p) => p.cpuPercent)} format={(v) => `${v.toFixed(1)} %`} />
				<ChartCard title="App memory" values={points.map((p) => p.memoryBytes)} format={formatSize} />
				<ChartCard title="Build time" values={[...builds.recent].reverse().map((b) => b.durationSeconds)} format={(v) => `${v} s`} />
			</ul>
		</section>
	);
}

function ChartCard({ title, values, format }: { title: string; values: (number | null)[]; format: (value: number) => string }) {
	return (
		<li className="card" aria-label={title}>
			<LineChart label={title} max={0} values={values} format={format} />
		</li>
	);
}

function Total({ label, value }: { label: string; value: string }) {
	return (
		<div>
			<dt>{label}</dt>
			<dd>{value}</dd>
		</div>
	);
}

function Alerts({ firing, history }: { firing: AlertRecord[]; history: AlertRecord[] }) {
	return (
		<section aria-label="Alerts" className="alerts">
			{firing.length ? (
				<ul className="alerts-firing">
					{firing.map((alert) => (
						<li key={`${alert.kind}-${alert.at}`} role="alert">
							<strong>{alert.kind}</strong> {alert.message}
						</li>
					))}
				</ul>
			) : (
				<p className="muted">No alert is firing.</p>
			)}
			{history.length ? (
				<details>
					<summary>Alert history ({history.length})</summary>
					<ul className="alerts-history">
						{history.map((alert) => (
							<li key={`${alert.kind}-${alert.state}-${alert.at}`}>
								<time dateTime={alert.at}>{new Date(alert.at).toLocaleString()}</time> {alert.kind} {alert.state}
								{alert.delivery.status !== "none" ? ` (webhook ${alert.delivery.status})` : ""}: {alert.message}
							</li>
						))}
					</ul>
				</details>
			) : null}
		</section>
	);
}

/** Browsers ask before showing notifications; Electron shows them without asking. */
function NotificationSwitch() {
	const [permission, setPermission] = useState(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
	if (permission !== "default") return null;
	return (
		<button type="button" className="ghost" onClick={() => void Notification.requestPermission().then(setPermission)}>
			Notify me of alerts
		</button>
	);
}
