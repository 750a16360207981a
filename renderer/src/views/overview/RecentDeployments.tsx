import type { ProjectInfo } from "../../api/bridge.js";
import { StatusBadge } from "../../components/StatusBadge.js";
import { useDeployments } from "../../stores/deployments.js";
import { shortReason } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";
import { OverviewCard } from "./OverviewCard.js";

const SHOWN = 5;

/** The last few deployments, newest first, each failure with its reason in one line. */
export function RecentDeployments({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const history = useDeployments((state) => state.history[project.dir]);
	const records = (history?.records ?? []).slice(0, SHOWN);
	return (
		<OverviewCard id="deployments" title="Last deployments" error={history?.error} more={{ label: "History", onClick: () => go("deployments", project.dir) }}>
			{history && !history.loading && records.length === 0 ? <p className="muted">No deployments yet.</p> : null}
			{records.length ? (
				<ol className="plain-list overview-deployments" aria-label="Last deployments">
					{records.map((record) => (
						<li key={record.id} aria-label={`Deployment ${record.id}`}>
							<div className="overview-row">
								<StatusBadge status={record.status} />
								<code>{record.id}</code>
								<time className="muted" dateTime={record.createdAt}>
									{new Date(record.createdAt).toLocaleString()}
								</time>
							</div>
							{record.error ? (
								<div className="muted wrap-anywhere" title={record.error.message}>
									<code>{record.error.code}</code> {shortReason(record.error.message)}
								</div>
							) : null}
						</li>
					))}
				</ol>
			) : null}
		</OverviewCard>
	);
}
