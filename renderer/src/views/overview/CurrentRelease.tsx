import type { ProjectInfo } from "../../api/bridge.js";
import { useDeployments } from "../../stores/deployments.js";
import { currentRelease } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";
import { OverviewCard } from "./OverviewCard.js";

/** The release serving now: which deployment, from which commit, built how. */
export function CurrentRelease({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const history = useDeployments((state) => state.history[project.dir]);
	const live = currentRelease(history?.records ?? []);
	return (
		<OverviewCard id="release" title="Current release" error={history?.error} more={{ label: "All deployments", onClick: () => go("deployments", project.dir) }}>
			{live ? (
				<dl className="facts" aria-label="Current release">
					<dt>Deployment</dt>
					<dd>
						<code data-testid="current-release">{live.id}</code>
					</dd>
					<dt>Live since</dt>
					<dd>
						<time dateTime={live.finishedAt ?? live.createdAt}>{new Date(live.finishedAt ?? live.createdAt).toLocaleString()}</time>
					</dd>
					<dt>Commit</dt>
					<dd>{live.commit ? <code>{live.commit.slice(0, 12)}</code> : <span className="muted">not a git folder</span>}</dd>
					{live.framework ? (
						<>
							<dt>Framework</dt>
							<dd>{live.framework}</dd>
						</>
					) : null}
					{live.node ? (
						<>
							<dt>Node.js</dt>
							<dd>{live.node}</dd>
						</>
					) : null}
				</dl>
			) : history && !history.loading ? (
				<p className="muted">No release serves yet.</p>
			) : null}
		</OverviewCard>
	);
}
