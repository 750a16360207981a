import { type FormEvent, useEffect, useState } from "react";
import type { ProjectInfo } from "../api/bridge.js";
import { servedByServer } from "../api/server-mode.js";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { RoleButton, WhyNotNote } from "../components/RoleButton.js";
import { useWhyNot } from "../stores/access.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { type DnsCheck, type DomainInfo, type DomainsEntry, useDomains } from "../stores/domains.js";
import { useConfig } from "../stores/config.js";
import { useChosenProject } from "../stores/chosen-project.js";

/**
 * Where the app answers (issue 6): its generated host and its custom domains, each
 * with where it comes from, its DNS state and its certificate. Domains are added and
 * removed here on the live app, without a deploy; deploy.yaml's are edited in the file.
 */
export function DomainsView() {
	const { projects, project, selectApp } = useChosenProject();
	const { byDir, load } = useDomains();
	const loadConfig = useConfig((state) => state.load);
	const dir = project?.dir;
	const name = project?.name;
	const server = project?.server ?? null;
	useEffect(() => {
		if (dir && name) void load({ dir, name, server });
		if (name) void loadConfig(name);
	}, [load, loadConfig, dir, name, server]);
	const entry = dir ? byDir[dir] : undefined;

	return (
		<>
			<header className="view-header">
				<h1>Domains</h1>
				{projects.length ? <AppPicker projects={projects} dir={dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? (
				<>
					<div className="actions">
						<button
							type="button"
							onClick={() => {
								void load(project);
								void loadConfig(project.name);
							}}
							disabled={entry?.loading}
						>
							Refresh
						</button>
					</div>
					{entry?.error ? <ErrorBox error={entry.error} title="Domains unavailable" /> : null}
					{servedByServer() ? null : <ConfiguredDomains name={project.name} />}
					<AddDomainForm project={project} entry={entry} />
					{entry?.list ? <DomainTable project={project} entry={entry} /> : null}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}

/** What deploy.yaml says (read from the folder, so before a deploy too): the generated URL and the file's domains. */
function ConfiguredDomains({ name }: { name: string }) {
	const entry = useConfig((state) => state.configs[name]);
	const config = entry?.config;
	if (entry?.error) return <ErrorBox error={entry.error} title="deploy.yaml unavailable" />;
	if (!config) return null;
	return (
		<section className="card" aria-labelledby="generated-url-title">
			<h2 id="generated-url-title">Generated URL</h2>
			{config.generatedUrl ? (
				<p>
					<a href={config.generatedUrl} target="_blank" rel="noreferrer noopener" data-testid="generated-url">
						{config.generatedUrl}
					</a>
				</p>
			) : (
				<p className="muted">Known once the app has a server (after its first deploy).</p>
			)}
			<p className="muted">sslip.io resolves it to the server's address: no DNS setup needed.</p>
			<h3>In deploy.yaml</h3>
			{config.domains.length ? (
				<ul className="domain-list" aria-label="Configured domains">
					{config.domains.map((domain) => (
						<li key={domain}>
							<code>{domain}</code>
						</li>
					))}
				</ul>
			) : (
				<p className="muted">None (deploy.yaml's domains:).</p>
			)}
			<p className="muted">They deploy with the app: edit the file and run a deploy to change them.</p>
		</section>
	);
}

function AddDomainForm({ project, entry }: { project: ProjectInfo; entry: DomainsEntry | undefined }) {
	const { add } = useDomains();
	const [domain, setDomain] = useState("");
	const submit = async (event: FormEvent) => {
		event.preventDefault();
		if (await add(project, domain)) setDomain("");
	};
	const added = entry?.added;
	const reason = useWhyNot(project)("app.domains-add");
	return (
		<section className="card" aria-labelledby="add-domain-title">
			<h2 id="add-domain-title">Add a domain</h2>
			<form className="form-grid" onSubmit={submit}>
				<label className="field wide">
					<span>Domain</span>
					<input name="domain" required value={domain} onChange={(e) => setDomain(e.target.value)} placeholder="app.example.com" autoComplete="off" />
				</label>
				<div className="actions wide">
					<RoleButton type="submit" className="primary" disabled={Boolean(entry?.busy)} reason={reason}>
						{entry?.busy ? "Working…" : "Add domain"}
					</RoleButton>
				</div>
			</form>
			<p className="muted">The live app answers on it at once, without a deploy. Exact names only: wildcard certificates would need the DNS-01 challenge.</p>
			{entry?.changeError ? <ErrorBox error={entry.changeError} title="Domain not changed" /> : null}
			{added?.changed && added.dns && added.dns.state !== "ok" ? (
				<p className="note" role="status" data-testid="dns-warning">
					{added.dns.message}
				</p>
			) : null}
		</section>
	);
}

function DomainTable({ project, entry }: { project: ProjectInfo; entry: DomainsEntry }) {
	const { remove } = useDomains();
	const domains = entry.list?.domains ?? [];
	const reason = useWhyNot(project)("app.domains-remove");
	if (domains.length === 0) return <Empty>No custom domains yet: add one above, or list it under domains: in deploy.yaml.</Empty>;
	return (
		<>
		{domains.some((d) => d.source === "added") ? <WhyNotNote what="Remove" reason={reason} /> : null}
		<div className="table-scroll">
			<table aria-label="Custom domains">
				<thead>
					<tr>
						<th scope="col">Domain</th>
						<th scope="col">Source</th>
						<th scope="col">DNS</th>
						<th scope="col">Certificate</th>
						<th scope="col">
							<span className="visually-hidden">Actions</span>
						</th>
					</tr>
				</thead>
				<tbody>
					{domains.map((d) => (
						<tr key={d.domain} data-domain={d.domain}>
							<td>
								<code>{d.unicode}</code>
								{d.unicode !== d.domain ? <div className="muted">{d.domain}</div> : null}
							</td>
							<td>{d.source === "config" ? "deploy.yaml" : "added"}</td>
							<td>
								<DnsCell dns={d.dns} />
							</td>
							<td>
								<CertificateCell certificate={d.certificate} />
							</td>
							<td>
								{d.source === "added" ? (
									<RoleButton type="button" onClick={() => remove(project, d.domain)} disabled={Boolean(entry.busy)} aria-label={`Remove ${d.unicode}`} reason={reason} note={false}>
										Remove
									</RoleButton>
								) : (
									<span className="muted">edit deploy.yaml</span>
								)}
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
		</>
	);
}

function DnsCell({ dns }: { dns: DnsCheck | null }) {
	if (!dns) return <span className="muted">not checked</span>;
	return (
		<>
			<StatusBadge status={dns.state} />
			{/* The full sentence is in the title: the cell stays narrow enough for the certificate beside it. */}
			{dns.state === "elsewhere" ? <div className="muted" title={dns.message}>points at {dns.addresses.join(", ")}</div> : null}
			{dns.record ? (
				<div className="muted" title={dns.message}>
					needs {dns.record.type} → {dns.record.value}
				</div>
			) : null}
		</>
	);
}

function CertificateCell({ certificate }: { certificate: DomainInfo["certificate"] }) {
	return (
		<>
			<StatusBadge status={certificate.state} />
			{certificate.issuer ? <div>{certificate.issuer}</div> : null}
			{certificate.notAfter ? <div className="muted">until {certificate.notAfter.slice(0, 10)}</div> : null}
			{/* A proxy's error can be thousands of characters without a space (issue 14): it wraps in the cell. */}
			{certificate.message ? <div className="muted wrap-anywhere certificate-message">{certificate.message}</div> : null}
		</>
	);
}
