import type { ProjectInfo } from "../../api/bridge.js";
import { useAlerts } from "../../stores/alerts.js";
import { useDeployments } from "../../stores/deployments.js";
import { useInstances } from "../../stores/instances.js";
import { recentErrors, shortReason } from "../../stores/overview-facts.js";
import { OverviewCard } from "./OverviewCard.js";

/** What went wrong lately: failed deployments, crashing instances, firing alerts. */
export function RecentErrors({ project }: { project: ProjectInfo }) {
	const history = useDeployments((state) => state.history[project.dir]);
	const instances = useInstances((state) => state.byDir[project.dir]);
	const alerts = useAlerts((state) => state.byDir[project.dir]);
	const errors = recentErrors(history?.records ?? [], instances?.instances ?? [], alerts?.firing ?? []);
	const loaded = Boolean(history && !history.loading);
	return (
		<OverviewCard id="errors" title="Recent errors" wide>
			{loaded && errors.length === 0 ? <p className="muted">None in the last deployments, the instances or the alerts.</p> : null}
			{errors.length ? (
				<ul className="plain-list" aria-label="Recent errors">
					{errors.map((error) => (
						<li key={`${error.source}-${error.at}`} className="overview-error">
							<div className="overview-row">
								<code className="error-code">{error.code}</code>
								<span className="muted">{error.source}</span>
								{error.at ? (
									<time className="muted" dateTime={error.at}>
										{new Date(error.at).toLocaleString()}
									</time>
								) : null}
							</div>
							<div className="wrap-anywhere" title={error.message}>
								{shortReason(error.message, 300)}
							</div>
							{error.hint ? <div className="muted wrap-anywhere">{error.hint}</div> : null}
						</li>
					))}
				</ul>
			) : null}
		</OverviewCard>
	);
}
