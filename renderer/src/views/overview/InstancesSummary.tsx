import type { ProjectInfo } from "../../api/bridge.js";
import { useInstances } from "../../stores/instances.js";
import { instanceCounts } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";
import { OverviewCard } from "./OverviewCard.js";

/** How many instances run, per process: the one number that says whether the app is up. */
export function InstancesSummary({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const entry = useInstances((state) => state.byDir[project.dir]);
	const counts = instanceCounts(entry?.instances ?? []);
	return (
		<OverviewCard id="instances" title="Instances" error={entry?.error} more={{ label: "Details", onClick: () => go("instances", project.dir) }}>
			{entry && !entry.loading && counts.total === 0 ? <p className="muted">None running.</p> : null}
			{counts.total > 0 ? (
				<>
					<p className="overview-count" data-testid="instance-count">
						<strong>{counts.running}</strong> of {counts.total} running
					</p>
					<ul className="plain-list" aria-label="Instances per process">
						{counts.processes.map((p) => (
							<li key={p.process}>
								<code>{p.process}</code> <span className="muted">{p.running} of {p.total} running</span>
							</li>
						))}
					</ul>
				</>
			) : null}
		</OverviewCard>
	);
}
