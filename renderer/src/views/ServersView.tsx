import { useEffect, useState } from "react";
import type { ServerInfo } from "../api/bridge.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useServers } from "../stores/servers.js";
import { AddServerForm } from "./AddServerForm.js";
import { ServerHealthFacts } from "./ServerHealth.js";

export function ServersView() {
	const { servers, loaded, error, load, checkStatus } = useServers();
	const [adding, setAdding] = useState(false);
	useEffect(() => {
		void load().then(() => {
			for (const server of useServers.getState().servers) void checkStatus(server.name);
		});
	}, [load, checkStatus]);

	return (
		<>
			<header className="view-header">
				<h1>Servers</h1>
				{adding ? null : (
					<button type="button" className="primary" onClick={() => setAdding(true)}>
						Add server
					</button>
				)}
			</header>
			{error ? <ErrorBox error={error} /> : null}
			{adding ? <AddServerForm onDone={() => setAdding(false)} /> : null}
			{loaded && servers.length === 0 && !adding ? <Empty>No servers yet. Add one you can reach over SSH; it needs Node.js 20 or newer.</Empty> : null}
			<ul className="cards">
				{servers.map((server) => (
					<ServerCard key={server.name} server={server} />
				))}
			</ul>
		</>
	);
}

function ServerCard({ server }: { server: ServerInfo }) {
	const { statuses, checking, checkStatus, remove } = useServers();
	const status = statuses[server.name];
	const busy = checking[server.name] === true;
	return (
		<li className="card" aria-label={`Server ${server.name}`}>
			<header className="card-header">
				<h2>{server.name}</h2>
				{busy ? <StatusBadge status="checking" /> : status ? <StatusBadge status={status.reachable ? "reachable" : "unreachable"} /> : null}
			</header>
			<dl className="facts">
				<dt>SSH</dt>
				<dd>
					{server.user}@{server.host}:{server.port}
				</dd>
				<dt>Proxy</dt>
				<dd>
					{server.proxy} on ports {server.httpPort} (HTTP) and {server.httpsPort} (HTTPS)
				</dd>
				<dt>Host key</dt>
				<dd>
					<code>{server.hostKeyFingerprint}</code>
				</dd>
				{status?.reachable && status.health ? <ServerHealthFacts health={status.health} /> : null}
			</dl>
			{status?.error && !busy ? <ErrorBox error={status.error} title="Not reachable" /> : null}
			<div className="actions">
				<button type="button" onClick={() => checkStatus(server.name)} disabled={busy} aria-label={`Refresh the status of ${server.name}`}>
					Refresh status
				</button>
				<button
					type="button"
					className="danger"
					onClick={() => {
						if (window.confirm(`Forget ${server.name}? What runs on it keeps running.`)) void remove(server.name);
					}}
				>
					Forget
				</button>
			</div>
		</li>
	);
}
