import type { ProjectInfo } from "../../api/bridge.js";
import { DeployButton, LastFailure } from "../../components/AppActions.js";
import { StatusBadge } from "../../components/StatusBadge.js";
import { useConfig } from "../../stores/config.js";
import { useDeployments } from "../../stores/deployments.js";
import { useDomains } from "../../stores/domains.js";
import { appStatus, currentRelease, lastFailure, liveUrls } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";

/** The app at a glance: its state, where it answers, and the buttons a person reaches for first. */
export function AppSummary({ project, onRefresh }: { project: ProjectInfo; onRefresh: () => void }) {
	const go = useUi((state) => state.go);
	const { history, operations } = useDeployments();
	const domains = useDomains((state) => state.byDir[project.dir]);
	const generatedUrl = useConfig((state) => state.configs[project.name]?.config?.generatedUrl ?? null);
	const records = history[project.dir]?.records ?? [];
	const operation = operations[project.dir];
	const loading = Boolean(history[project.dir]?.loading || domains?.loading);
	const status = operation?.running ? (operation.kind === "deploy" ? "deploying" : "rolling back") : appStatus(records);
	const urls = liveUrls(currentRelease(records), domains?.list ?? null, generatedUrl);
	const failure = lastFailure(records);

	return (
		<section className="card overview-summary" aria-label={`App ${project.name}`}>
			<header className="card-header">
				<h2>{project.name}</h2>
				<StatusBadge status={history[project.dir] ? status : "loading"} />
			</header>
			{urls.length ? (
				<ul className="live-urls" aria-label="Live URLs">
					{urls.map((entry) => (
						<li key={entry.url}>
							<a href={entry.url} target="_blank" rel="noreferrer noopener">
								{entry.url}
							</a>
							{entry.kind === "domain" ? <span className="muted">certificate</span> : null}
							<StatusBadge status={entry.state} />
						</li>
					))}
				</ul>
			) : (
				<p className="muted">{records.length ? "No live URL: no release of it serves yet." : "No live URL yet: deploy it to get one."}</p>
			)}
			<LastFailure failure={failure} />
			<p className="muted overview-where">
				<code>{project.dir}</code> on {project.server ?? "the server chosen on first deploy"}
			</p>
			<div className="actions">
				<DeployButton project={project} />
				<button type="button" onClick={() => go("logs", project.dir)}>
					Logs
				</button>
				<button type="button" onClick={onRefresh} disabled={loading}>
					Refresh
				</button>
			</div>
		</section>
	);
}
