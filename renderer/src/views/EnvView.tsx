import { type FormEvent, useEffect } from "react";
import type { ProjectInfo } from "../api/bridge.js";
import { servedByServer } from "../api/server-mode.js";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { RoleButton, WhyNotNote } from "../components/RoleButton.js";
import { useWhyNot } from "../stores/access.js";
import { revealKey, useConfig } from "../stores/config.js";
import { type EnvEnvironment, secretKey, useEnv } from "../stores/env.js";
import { useChosenProject } from "../stores/chosen-project.js";

/**
 * The app's environment: its secrets (`deploy env`, encrypted on the server), which
 * can be set and removed here, each change a new release without a rebuild; and
 * deploy.yaml's env:, read-only. Values are masked; one is shown at a time, on a click.
 */
export function EnvView() {
	const { projects, project, selectApp } = useChosenProject();
	const name = project?.name;

	return (
		<>
			<header className="view-header">
				<h1>Environment</h1>
				{projects.length ? <AppPicker projects={projects} dir={project?.dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project && name ? (
				<>
					<Secrets app={name} project={project} />
					{servedByServer() ? null : <ConfigEnv app={name} />}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}

function Secrets({ app, project }: { app: string; project: ProjectInfo }) {
	const { environment, lists, revealed, saving, lastChange, error, setEnvironment, load, reveal, hide, setVar, unsetVar } = useEnv();
	const entry = lists[app];
	const whyNot = useWhyNot(project);
	const changeReason = whyNot("app.env-change");
	const revealReason = whyNot("app.env-reveal");
	// Loaded once per app and environment: choosing another environment empties the lists.
	useEffect(() => {
		if (!entry) void load(app);
	}, [load, app, entry]);

	async function submit(event: FormEvent<HTMLFormElement>) {
		event.preventDefault();
		const form = event.currentTarget;
		const data = new FormData(form);
		if (await setVar(app, String(data.get("key") ?? "").trim(), String(data.get("value") ?? ""))) form.reset();
	}

	return (
		<section aria-labelledby="secrets-title">
			<h2 id="secrets-title">Secrets</h2>
			<p className="note">
				Kept encrypted on the server; they override deploy.yaml's env: at run time. Setting or removing one starts a new release of the live build (no rebuild);{" "}
				<code>deploy rollback</code> goes back with the old values.
			</p>
			<label>
				Environment{" "}
				<select value={environment} onChange={(e) => setEnvironment(e.target.value as EnvEnvironment)} aria-label="Environment">
					<option value="production">production</option>
					<option value="preview">preview</option>
				</select>
			</label>
			{entry?.error ? <ErrorBox error={entry.error} title="Secrets unavailable" /> : null}
			{error ? <ErrorBox error={error} title="The change was not made" /> : null}
			{lastChange?.deployment ? (
				<p className="note" role="status">
					{lastChange.deployment.id} is live with the new values.
				</p>
			) : null}
			{entry?.list?.cached ? <p className="note">The server cannot be reached: values as seen at {entry.list.fetchedAt}.</p> : null}
			{entry?.list && entry.list.vars.length === 0 ? <Empty>No {environment} secrets yet.</Empty> : null}
			{entry?.list?.vars.length ? (
				<>
				<WhyNotNote what={changeReason === revealReason ? "Reveal and remove" : "Reveal"} reason={revealReason} />
				{changeReason !== revealReason ? <WhyNotNote what="Remove" reason={changeReason} /> : null}
				<div className="table-scroll">
					<table aria-label="Secrets">
						<thead>
							<tr>
								<th scope="col">Name</th>
								<th scope="col">Value</th>
								<th scope="col">Updated</th>
								<th scope="col">
									<span className="visually-hidden">Actions</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{entry.list.vars.map(({ key, value: masked, updatedAt }) => {
								const clear = revealed[secretKey(app, environment, key)];
								return (
									<tr key={key}>
										<th scope="row">
											<code>{key}</code>
										</th>
										<td>
											<code className={clear === undefined ? "masked" : "revealed"} data-testid={`secret-${key}`}>
												{clear ?? masked}
											</code>
										</td>
										<td>{updatedAt}</td>
										<td>
											{clear === undefined ? (
												<RoleButton type="button" onClick={() => reveal(app, key)} aria-label={`Reveal ${key}`} reason={revealReason} note={false}>
													Reveal
												</RoleButton>
											) : (
												<button type="button" onClick={() => hide(app, key)} aria-label={`Hide ${key}`}>
													Hide
												</button>
											)}{" "}
											<RoleButton type="button" disabled={saving} onClick={() => unsetVar(app, key)} aria-label={`Remove ${key}`} reason={changeReason} note={false}>
												Remove
											</RoleButton>
										</td>
									</tr>
								);
							})}
						</tbody>
					</table>
				</div>
				</>
			) : null}
			<form className="form-grid" onSubmit={submit} aria-label="Set a secret">
				<label>
					Name <input name="key" required pattern="[A-Za-z_][A-Za-z0-9_]*" autoComplete="off" />
				</label>
				<label>
					Value <input name="value" type="password" autoComplete="off" />
				</label>
				<RoleButton type="submit" disabled={saving} reason={changeReason}>
					{saving ? "Releasing…" : "Set"}
				</RoleButton>
			</form>
		</section>
	);
}

/** deploy.yaml's env:, read-only: the file is where it changes. */
function ConfigEnv({ app }: { app: string }) {
	const { configs, load, revealed, revealError, reveal, hide } = useConfig();
	useEffect(() => {
		void load(app);
	}, [load, app]);
	const entry = configs[app];
	const config = entry?.config;
	return (
		<section aria-labelledby="config-env-title">
			<h2 id="config-env-title">deploy.yaml</h2>
			<p className="note">Read-only for now: this is what deploy.yaml's env: says (not secret, available at build time too). Edit the file and deploy to change it.</p>
			{entry?.error ? <ErrorBox error={entry.error} title="Environment unavailable" /> : null}
			{revealError ? <ErrorBox error={revealError} title="The value was not revealed" /> : null}
			{config && config.env.length === 0 ? <Empty>{config.name} sets no environment variables (deploy.yaml's env:).</Empty> : null}
			{config?.env.length ? (
				<div className="table-scroll">
					<table aria-label="Environment variables">
						<thead>
							<tr>
								<th scope="col">Name</th>
								<th scope="col">Value</th>
								<th scope="col">
									<span className="visually-hidden">Action</span>
								</th>
							</tr>
						</thead>
						<tbody>
							{config.env.map(({ key, value: masked }) => {
								const clear = revealed[revealKey(config.name, key)];
								return (
									<tr key={key}>
										<th scope="row">
											<code>{key}</code>
										</th>
										<td>
											<code className={clear === undefined ? "masked" : "revealed"} data-testid={`env-${key}`}>
												{clear ?? masked}
											</code>
										</td>
										<td>
											{clear === undefined ? (
												<button type="button" onClick={() => reveal(config.name, key)} aria-label={`Reveal ${key}`}>
													Reveal
												</button>
											) : (
												<button type="button" onClick={() => hide(config.name, key)} aria-label={`Hide ${key}`}>
													Hide
												</button>
											)}
										</td>
									</tr>
								);
							})}
						</tbody>
					</table>
				</div>
			) : null}
		</section>
	);
}
