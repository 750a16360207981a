import type { ProjectInfo } from "../../api/bridge.js";
import { useDeployments } from "../../stores/deployments.js";
import { currentRelease } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";
import { commitLabel } from "../../text/deployment.js";
import { OverviewCard } from "./OverviewCard.js";

/** The release serving now: which deployment, from which commit, built how. */
export function CurrentRelease({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const history = useDeployments((state) => state.history[project.dir]);
	const live = currentRelease(history?.records ?? []);
	// Issue 14: a rollback makes an older deployment live now (liveAt); `+dirty` as in the Deployments view.
	const liveSince = live ? (live.liveAt ?? live.finishedAt ?? live.createdAt) : "";
	const commit = live ? commitLabel(live) : null;
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
						<time dateTime={liveSince}>{new Date(liveSince).toLocaleString()}</time>
					</dd>
					<dt>Commit</dt>
					<dd>{commit ? <code>{commit}</code> : <span className="muted">not a git folder</span>}</dd>
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
