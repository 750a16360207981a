import { useEffect } from "react";
import type { DeploymentRecord, ProjectInfo } from "../api/bridge.js";
import { ActivityLog } from "../components/ActivityLog.js";
import { AnsiText } from "../components/AnsiText.js";
import { AppPicker } from "../components/AppPicker.js";
import { DeploymentUrls } from "../components/DeploymentUrls.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { servedByServer } from "../api/server-mode.js";
import { RoleButton, WhyNotNote } from "../components/RoleButton.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { type BuildLog, useBuildLogs } from "../stores/build-logs.js";
import { useDeployments } from "../stores/deployments.js";
import { commitLabel, tookLabel } from "../text/deployment.js";
import "../styles/deployment-source.css";
import { useChosenProject } from "../stores/chosen-project.js";
import { useWhyNot } from "../stores/access.js";

export function DeploymentsView() {
	const { projects, project, selectApp } = useChosenProject();

	return (
		<>
			<header className="view-header">
				<h1>Deployments</h1>
				{projects.length ? <AppPicker projects={projects} dir={project?.dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? <AppDeployments project={project} /> : <Empty>Link an app first (Apps).</Empty>}
		</>
	);
}

function AppDeployments({ project }: { project: ProjectInfo }) {
	const { history, operations, load, deploy, rollback, cancel } = useDeployments();
	const { dir, name, server } = project;
	useEffect(() => {
		void load({ dir, name, server });
	}, [load, dir, name, server]);
	const all = history[dir]?.records ?? [];
	// Issue 14: previews are apps of their own: their deployments are listed apart, never as the app's history.
	const records = all.filter((record) => !record.preview);
	const previews = all.filter((record) => record.preview);
	const operation = operations[dir];
	const running = operation?.running ?? false;
	const whyNot = useWhyNot(project);
	const rollbackReason = whyNot("app.rollback");

	return (
		<>
			<div className="actions">
				{/* Issue 17, item 4: the server's dashboard has no source folder to deploy from. */}
				{servedByServer() ? null : (
					<RoleButton type="button" className="primary" onClick={() => deploy(project)} disabled={running} reason={whyNot("app.deploy")}>
						Deploy {project.name}
					</RoleButton>
				)}
				{running ? (
					<RoleButton type="button" onClick={() => cancel(project)} reason={whyNot("app.cancel")}>
						Cancel
					</RoleButton>
				) : null}
				<button type="button" onClick={() => load(project)} disabled={history[dir]?.loading}>
					Refresh
				</button>
			</div>
			{operation ? (
				<section className="card" aria-labelledby="operation-title">
					<header className="card-header">
						<h2 id="operation-title">
							{operation.kind === "deploy" ? "Deploy" : `Rollback to ${operation.to ?? "the previous release"}`}
						</h2>
						<StatusBadge status={running ? "running" : operation.error ? "failed" : (operation.result?.status ?? "done")} />
					</header>
					<ActivityLog activity={operation.activity} label={operation.kind === "deploy" ? "Build log" : "Rollback log"} running={running} />
					{operation.result?.url && !running ? (
						<p className="outcome">
							Live at{" "}
							<a href={operation.result.url} target="_blank" rel="noreferrer noopener">
								{operation.result.url}
							</a>
						</p>
					) : null}
					{operation.error ? <ErrorBox error={operation.error} title={operation.kind === "deploy" ? "Deploy failed" : "Rollback failed"} /> : null}
				</section>
			) : null}
			{history[dir]?.error ? <ErrorBox error={history[dir].error} title="History unavailable" /> : null}
			<section aria-labelledby="history-title">
				<h2 id="history-title">History</h2>
				{records.length === 0 && !history[dir]?.loading ? <Empty>No deployments of {project.name} yet.</Empty> : null}
				{records.some((record) => record.status === "superseded") ? <WhyNotNote what="Roll back" reason={rollbackReason} /> : null}
				<ol className="timeline">
					{records.map((record) => (
						<HistoryItem key={record.id} project={project} record={record} busy={running} rollbackReason={rollbackReason} onRollback={() => rollback(project, record.id)} />
					))}
				</ol>
			</section>
			{previews.length > 0 ? (
				<section aria-labelledby="previews-title">
					<h2 id="previews-title">Previews</h2>
					<ol className="timeline">
						{previews.map((record) => (
							<HistoryItem key={record.id} project={project} record={record} busy={running} rollbackReason={null} onRollback={() => undefined} />
						))}
					</ol>
				</section>
			) : null}
		</>
	);
}

function HistoryItem({
	project,
	record,
	busy,
	rollbackReason,
	onRollback,
}: { project: ProjectInfo; record: DeploymentRecord; busy: boolean; rollbackReason: string | null; onRollback: () => void }) {
	// Only releases that ran healthy once are kept for rollback; failed ones never went live.
	// A preview's release belongs to the preview app: the app itself cannot roll back to it.
	const canRollBack = record.status === "superseded" && !record.preview;
	const { logs, toggle } = useBuildLogs();
	const log = logs[record.id];
	const commit = commitLabel(record);
	const took = tookLabel(record);
	return (
		<li className={`timeline-item status-${record.status}`} aria-label={`Deployment ${record.id}`}>
			<div className="timeline-head">
				<StatusBadge status={record.status} />
				<code className="deployment-id">{record.id}</code>
				<time dateTime={record.createdAt}>{new Date(record.createdAt).toLocaleString()}</time>
				{record.preview ? <span className="muted">preview of {record.preview.branch}</span> : null}
				{took ? <span className="muted" data-testid="took">took {took}</span> : null}
			</div>
			{/* Issue 14: what was deployed, as `deploy ls` says it; issue 18: how it came (upload, push, webhook). */}
			{commit || record.branch || record.message || record.source ? (
				<p className="deployment-source" data-testid="source">
					<span className="source">{record.source ?? "upload"}</span>
					{commit ? <code className={record.dirty || commit.endsWith("+dirty") ? "commit dirty" : "commit"}>{commit}</code> : null}
					{record.branch ? <span className="branch">{record.branch}</span> : null}
					{record.message ? <span className="message">{record.message}</span> : null}
				</p>
			) : null}
			{record.status === "live" ? <DeploymentUrls record={record} label={`URLs of ${record.id}`} /> : null}
			{record.error ? <ErrorBox error={record.error} /> : null}
			<div className="actions">
				<button type="button" aria-expanded={log !== undefined} onClick={() => void toggle(project, record.id)}>
					{log ? "Hide build log" : "Build log"}
				</button>
				{canRollBack ? (
					<RoleButton type="button" onClick={onRollback} disabled={busy} reason={rollbackReason} note={false}>
						Roll back to this
					</RoleButton>
				) : null}
			</div>
			{log ? <PastBuildLog id={record.id} log={log} /> : null}
		</li>
	);
}

function PastBuildLog({ id, log }: { id: string; log: BuildLog }) {
	return (
		<>
			{log.error ? <ErrorBox error={log.error} title="Build log unavailable" /> : null}
			<ol className="log-lines" role="log" aria-label={`Build log of ${id}`} aria-busy={log.loading}>
				{log.lines.map((line, index) => (
					// A finished log never changes: position is a stable key.
					// biome-ignore lint/suspicious/noArrayIndexKey: fixed list
					<li key={index} className={line.stderr ? "line tone-error" : "line"}>
						<AnsiText text={line.text} />
					</li>
				))}
				{!log.loading && !log.error && log.lines.length === 0 ? <li className="line tone-muted">This deployment kept no build output.</li> : null}
				{log.loading ? <li className="line line-cursor">…</li> : null}
			</ol>
		</>
	);
}
