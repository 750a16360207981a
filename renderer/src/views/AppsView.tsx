import { type FormEvent, useEffect } from "react";
import type { ProjectInfo } from "../api/bridge.js";
import { servedByServer } from "../api/server-mode.js";
import { DeployButton, LastFailure } from "../components/AppActions.js";
import { DeploymentUrls } from "../components/DeploymentUrls.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useDeployments } from "../stores/deployments.js";
import { appStatus, lastFailure, productionOf } from "../stores/overview-facts.js";
import { useProjects } from "../stores/projects.js";
import { useUi } from "../stores/ui.js";

export function AppsView() {
	const { projects, loaded, error, linkError, linking, load, link } = useProjects();
	useEffect(() => {
		void load();
	}, [load]);

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = event.currentTarget;
		const dir = String(new FormData(form).get("dir") ?? "").trim();
		if (dir && (await link(dir))) form.reset();
	}

	return (
		<>
			<header className="view-header">
				<h1>Apps</h1>
			</header>
			{error ? <ErrorBox error={error} /> : null}
			{/* Issue 17, item 4: the server's dashboard lists that server's apps; there is no folder of this machine to link. */}
			{servedByServer() ? null : <LinkForm linking={linking} onSubmit={submit} />}
			{linkError ? <ErrorBox error={linkError} title="The folder was not linked" /> : null}
			{loaded && projects.length === 0 ? <Empty>{servedByServer() ? "No apps of yours on this server yet." : "No apps yet. Link a project folder: its name comes from deploy.yaml or package.json."}</Empty> : null}
			<ul className="cards">
				{projects.map((project) => (
					<AppCard key={project.dir} project={project} />
				))}
			</ul>
		</>
	);
}

function LinkForm({ linking, onSubmit }: { linking: boolean; onSubmit: (event: FormEvent<HTMLFormElement>) => void }) {
	return (
		<form className="card link-form" onSubmit={onSubmit} aria-label="Link a folder">
				<label className="field wide">
					<span>Project folder on this machine</span>
					<input name="dir" required placeholder="/home/me/my-app" autoComplete="off" />
				</label>
				<button type="submit" className="primary" disabled={linking}>
					{linking ? "Linking…" : "Link folder"}
				</button>
			</form>
	);
}

function AppCard({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const { history, operations, load } = useDeployments();
	// Issue 14: the app's own deployments and its previews' apart: a live preview is not the app's URL, nor its status.
	const all = history[project.dir]?.records ?? [];
	const records = productionOf(all);
	const live = records.find((record) => record.status === "live");
	const previews = all.filter((record) => record.preview && record.status === "live");
	const operation = operations[project.dir];
	const { dir, name, server } = project;
	useEffect(() => {
		// By value: the project list reloads after each deploy, with new objects.
		void load({ dir, name, server });
	}, [load, dir, name, server]);

	const status = operation?.running ? (operation.kind === "deploy" ? "deploying" : "rolling back") : appStatus(records);
	// Issue 14: an app whose deploys all failed is listed too, with why the last one failed.
	const failure = lastFailure(records);
	return (
		<li className="card" aria-label={`App ${project.name}`}>
			<header className="card-header">
				<h2>
					{/* Choosing an app opens its Overview: the page people land on in Vercel or Coolify. */}
					<button type="button" className="link-button app-name" onClick={() => go("overview", project.dir)}>
						{project.name}
					</button>
				</h2>
				<StatusBadge status={status} />
			</header>
			<dl className="facts">
				{servedByServer() ? null : (
					<>
						<dt>Folder</dt>
						<dd>
							<code>{project.dir}</code>
						</dd>
					</>
				)}
				<dt>Server</dt>
				<dd>{project.server ?? "chosen on first deploy"}</dd>
				<dt>URL</dt>
				<dd>{live ? <DeploymentUrls record={live} label={`URLs of ${project.name}`} /> : "none yet"}</dd>
				{previews.length > 0 ? (
					<>
						<dt>Previews</dt>
						<dd>
							<ul className="url-list" aria-label={`Previews of ${project.name}`}>
								{previews.map((record) => (
									<li key={record.id}>
										<span className="muted">{record.preview?.branch}</span>{" "}
										{record.url ? (
											<a href={record.url} target="_blank" rel="noreferrer noopener">
												{record.url}
											</a>
										) : null}
									</li>
								))}
							</ul>
						</dd>
					</>
				) : null}
			</dl>
			{operation?.running ? null : <LastFailure failure={failure} />}
			{operation?.error && !operation.running ? <ErrorBox error={operation.error} title={operation.kind === "deploy" ? "Deploy failed" : "Rollback failed"} /> : null}
			<div className="actions">
				<DeployButton project={project} />
				<button type="button" onClick={() => go("overview", project.dir)}>
					Overview
				</button>
				<button type="button" onClick={() => go("deployments", project.dir)}>
					Deployments
				</button>
				<button type="button" onClick={() => go("logs", project.dir)}>
					Logs
				</button>
				<button type="button" onClick={() => go("instances", project.dir)}>
					Instances
				</button>
			</div>
		</li>
	);
}
