import { useEffect } from "react";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { LineChart } from "../components/LineChart.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { SAMPLE_INTERVAL_MS, useMetrics } from "../stores/metrics.js";
import { pickProject, useProjects } from "../stores/projects.js";
import { useUi } from "../stores/ui.js";

/** CPU and memory per instance, sampled while this view is open (what the agent measures today). */
export function AnalyticsView() {
	const { projects, load: loadProjects } = useProjects();
	const { appDir, selectApp } = useUi();
	const { series, sampling, error, start, stop } = useMetrics();
	const project = pickProject(projects, appDir);
	useEffect(() => {
		void loadProjects();
	}, [loadProjects]);
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
					<p className="muted" aria-live="polite">
						{sampling ? `Sampling CPU and memory every ${SAMPLE_INTERVAL_MS / 1000} s while this view is open.` : "Not sampling."} Requests, errors and latency come with a later version.
					</p>
					{error ? <ErrorBox error={error} title="Metrics unavailable" /> : null}
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
								<LineChart
									label="Memory"
									max={64 * 1024 * 1024}
									values={entry.samples.map((sample) => sample.memoryBytes)}
									format={(value) => `${(value / 1024 / 1024).toFixed(1)} MB`}
								/>
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
