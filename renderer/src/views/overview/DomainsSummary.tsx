import type { ProjectInfo } from "../../api/bridge.js";
import { StatusBadge } from "../../components/StatusBadge.js";
import { useDeployments } from "../../stores/deployments.js";
import { useDomains } from "../../stores/domains.js";
import { currentRelease, shortReason } from "../../stores/overview-facts.js";
import { useUi } from "../../stores/ui.js";
import { OverviewCard } from "./OverviewCard.js";

/** Each custom domain with its certificate: valid until when, or why not. */
export function DomainsSummary({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const entry = useDomains((state) => state.byDir[project.dir]);
	const history = useDeployments((state) => state.history[project.dir]);
	const live = currentRelease(history?.records ?? []);
	const domains = entry?.list?.domains ?? [];
	return (
		<OverviewCard id="domains" title="Domains and certificates" error={live ? entry?.error : null} more={{ label: "Manage", onClick: () => go("domains", project.dir) }}>
			{history && !history.loading && !live ? <p className="muted">None routed yet: domains are served once a release is live.</p> : null}
			{live && entry?.list && domains.length === 0 ? <p className="muted">No custom domains: it answers on its generated URL.</p> : null}
			{live && domains.length ? (
				<ul className="plain-list" aria-label="Domains and certificates">
					{domains.map((d) => (
						<li key={d.domain} data-domain={d.domain}>
							<div className="overview-row">
								<code>{d.unicode}</code>
								<StatusBadge status={d.certificate.state} />
								{d.certificate.notAfter ? <span className="muted">until {d.certificate.notAfter.slice(0, 10)}</span> : null}
							</div>
							{/* Its first words; the whole error is in the Domains view. */}
							{d.certificate.message ? (
								<div className="muted wrap-anywhere" title={d.certificate.message}>
									{shortReason(d.certificate.message, 200)}
								</div>
							) : null}
						</li>
					))}
				</ul>
			) : null}
		</OverviewCard>
	);
}
