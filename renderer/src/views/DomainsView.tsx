import { ConfigViewFrame } from "../components/ConfigViewFrame.js";

/** Where the app answers: its generated sslip.io URL and the domains in deploy.yaml. */
export function DomainsView() {
	return (
		<ConfigViewFrame title="Domains" subject="domains" editingIn="issue 7">
			{(config) => (
				<>
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
					</section>
					<section className="card" aria-labelledby="domains-title">
						<h2 id="domains-title">Configured domains</h2>
						{config.domains.length ? (
							<ul className="domain-list" aria-label="Configured domains">
								{config.domains.map((domain) => (
									<li key={domain}>
										<code>{domain}</code>
									</li>
								))}
							</ul>
						) : (
							<p className="muted">None configured (deploy.yaml's domains:).</p>
						)}
						<p className="muted">Point each domain's DNS at the server. They answer over plain HTTP for now.</p>
					</section>
				</>
			)}
		</ConfigViewFrame>
	);
}
