import type { ServerStatus } from "../api/bridge.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { formatDuration } from "../text/duration.js";
import { formatSize } from "../text/size.js";
import "../styles/server-health.css";

type Health = NonNullable<ServerStatus["health"]>;

/** The agent's, the proxy's and the machine's health: rows of the server card's facts. */
export function ServerHealthFacts({ health }: { health: Health }) {
	const { agent, proxy, disk, memory, instances } = health;
	return (
		<>
			<dt>Agent</dt>
			<dd>
				<StatusBadge status="running" /> <code title={agent.version}>{agent.version.slice(0, 12)}</code> on Node {agent.node}, up {formatDuration(Math.round(agent.uptimeSeconds) * 1000)},{" "}
				{formatSize(agent.rssBytes)} memory
			</dd>
			<dt>Proxy health</dt>
			<dd>
				{proxy ? (
					<>
						<StatusBadge status={proxy.running ? "running" : "stopped"} /> {proxy.kind}
						{proxy.running ? null : <span className="muted"> {proxy.message}</span>}
					</>
				) : (
					<span className="muted">not set up</span>
				)}
			</dd>
			<dt>Disk</dt>
			<dd>
				<Usage label="Disk used" used={disk.totalBytes - disk.freeBytes} total={disk.totalBytes} />
				{formatSize(disk.freeBytes)} free of {formatSize(disk.totalBytes)}
			</dd>
			<dt>Memory</dt>
			<dd>
				<Usage label="Memory used" used={memory.totalBytes - memory.availableBytes} total={memory.totalBytes} />
				{formatSize(memory.availableBytes)} available of {formatSize(memory.totalBytes)}
			</dd>
			<dt>Load</dt>
			<dd>
				{health.load.map((value) => value.toFixed(2)).join(", ")} on {health.cpus} CPU{health.cpus === 1 ? "" : "s"}
			</dd>
			<dt>Apps</dt>
			<dd>
				{health.apps} app{health.apps === 1 ? "" : "s"}, {instances.running} of {instances.total} instance{instances.total === 1 ? "" : "s"} running
				{instances.crashed > 0 ? (
					<>
						{" "}
						<StatusBadge status="crashed" /> {instances.crashed}
					</>
				) : null}
			</dd>
		</>
	);
}

/** A bar of how full something is; the text beside it carries the numbers, the bar the glance. */
function Usage({ label, used, total }: { label: string; used: number; total: number }) {
	const percent = total > 0 ? Math.min(100, Math.max(0, Math.round((used / total) * 100))) : 0;
	// low/high/optimum let the browser colour the bar: fine, then getting full, then nearly full.
	return <meter className="usage" aria-label={label} min={0} max={100} low={75} high={90} optimum={0} value={percent} title={`${percent}% used`} />;
}

