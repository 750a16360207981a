import type { ProjectInfo } from "../../api/bridge.js";
import { useAlerts } from "../../stores/alerts.js";
import { useDeployments } from "../../stores/deployments.js";
import { useDomains } from "../../stores/domains.js";
import { useInstances } from "../../stores/instances.js";
import { recentErrors, shortReason } from "../../stores/overview-facts.js";
import { OverviewCard } from "./OverviewCard.js";

/** What went wrong lately: failed deployments, crashing instances, firing alerts, certificates not obtained. */
export function RecentErrors({ project }: { project: ProjectInfo }) {
	const history = useDeployments((state) => state.history[project.dir]);
	const instances = useInstances((state) => state.byDir[project.dir]);
	const alerts = useAlerts((state) => state.byDir[project.dir]);
	const domains = useDomains((state) => state.byDir[project.dir]);
	const errors = recentErrors(history?.records ?? [], instances?.instances ?? [], alerts?.firing ?? [], domains?.list ?? null);
	const loaded = Boolean(history && !history.loading);
	return (
		<OverviewCard id="errors" title="Recent errors" wide>
			{loaded && errors.length === 0 ? <p className="muted">None in the last deployments, the instances, the alerts or the certificates.</p> : null}
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
