import type { DeploymentRecord } from "../api/bridge.js";

type DeploymentUrl = NonNullable<DeploymentRecord["urls"]>[number];

/**
 * Issue 14: every URL of a deployment with its state, in the agent's order (the one that
 * works first), as `deploy` prints them. A record from before issue 14 has only `url`.
 */
export function DeploymentUrls({ record, label }: { record: DeploymentRecord; label: string }) {
	const urls: DeploymentUrl[] = record.urls ?? (record.url ? [{ url: record.url, host: "", kind: "generated", certificate: "none" }] : []);
	if (urls.length === 0) return <>none yet</>;
	return (
		<ul className="url-list" aria-label={label}>
			{urls.map((u) => (
				<li key={u.url}>
					<a href={u.url} target="_blank" rel="noreferrer noopener">
						{u.url}
					</a>{" "}
					<span className="muted">{urlState(u)}</span>
				</li>
			))}
		</ul>
	);
}

function urlState(u: DeploymentUrl): string {
	const certificate = { valid: "HTTPS", pending: "certificate pending", failed: "certificate refused", expired: "certificate expired", none: "HTTP" }[u.certificate];
	if (!u.host) return "";
	if (u.kind === "generated") return u.certificate === "none" || u.certificate === "valid" ? `works · ${certificate}` : certificate;
	if (u.kind === "preview-domain") return u.certificate === "valid" ? `works · ${certificate}` : `needs wildcard DNS *.${u.host.slice(u.host.indexOf(".") + 1)} · ${certificate}`;
	return u.certificate === "valid" ? `works · ${certificate}` : `needs DNS pointing here · ${certificate}`;
}
