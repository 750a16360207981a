import { useEffect } from "react";
import type { InstanceInfo } from "../api/bridge.js";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { StatusBadge } from "../components/StatusBadge.js";
import { useInstances } from "../stores/instances.js";
import { useChosenProject } from "../stores/chosen-project.js";
import { ScaleForm } from "./ScaleForm.js";
import { formatDuration } from "../text/duration.js";
import { formatSize } from "../text/size.js";

/** Each instance of the app: its state, port, restarts, CPU and memory right now. */
export function InstancesView() {
	const { projects, project, selectApp } = useChosenProject();
	const { byDir, load } = useInstances();
	const dir = project?.dir;
	const name = project?.name;
	const server = project?.server ?? null;
	useEffect(() => {
		if (dir && name) void load({ dir, name, server });
	}, [load, dir, name, server]);
	const entry = dir ? byDir[dir] : undefined;

	return (
		<>
			<header className="view-header">
				<h1>Instances</h1>
				{projects.length ? <AppPicker projects={projects} dir={dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? (
				<>
					<div className="actions">
						<button type="button" onClick={() => load(project)} disabled={entry?.loading}>
							Refresh
						</button>
					</div>
					{entry?.error ? <ErrorBox error={entry.error} title="Instances unavailable" /> : null}
					{entry && !entry.loading && !entry.error && entry.instances.length === 0 ? <Empty>No instances: {project.name} is not running.</Empty> : null}
					{entry?.instances.length ? <InstanceTable instances={entry.instances} /> : null}
					{entry?.instances.length ? <ScaleForm project={project} instances={entry.instances} /> : null}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}

function InstanceTable({ instances }: { instances: InstanceInfo[] }) {
	return (
		<div className="table-scroll">
			<table>
				<thead>
					<tr>
						<th scope="col">Process</th>
						<th scope="col">Status</th>
						<th scope="col">Port</th>
						<th scope="col">PID</th>
						<th scope="col">Uptime</th>
						<th scope="col">Restarts</th>
						<th scope="col">CPU</th>
						<th scope="col">Memory</th>
					</tr>
				</thead>
				<tbody>
					{instances.map((instance) =>
						instance.served ? <ServedRow key={`${instance.process}:served`} instance={instance} served={instance.served} /> : <InstanceRow key={`${instance.process}:${instance.port}`} instance={instance} />,
					)}
				</tbody>
			</table>
		</div>
	);
}

function InstanceRow({ instance }: { instance: InstanceInfo }) {
	return (
		<tr>
			<td>{instance.process}</td>
			<td>
				<StatusBadge status={instance.status} />
			</td>
			<td>{instance.port}</td>
			<td>{instance.pid ?? "–"}</td>
			<td>{instance.uptimeSeconds === null ? "–" : formatDuration(Math.round(instance.uptimeSeconds) * 1000)}</td>
			<td>{instance.restarts}</td>
			<td>
				{instance.cpuPercent === null ? (
					"n/a"
				) : (
					<span className="meter-cell">
						<meter min={0} max={100} value={Math.min(instance.cpuPercent, 100)} aria-label="CPU" />
						{instance.cpuPercent.toFixed(1)} %
					</span>
				)}
			</td>
			<td>{instance.memoryBytes === null ? "n/a" : formatSize(instance.memoryBytes)}</td>
		</tr>
	);
}

/** Issue 14: a static site the proxy serves has no process: the row says who serves it and how much. */
function ServedRow({ instance, served }: { instance: InstanceInfo; served: NonNullable<InstanceInfo["served"]> }) {
	return (
		<tr>
			<td>{instance.process}</td>
			<td>
				<StatusBadge status="static" />
			</td>
			<td>{instance.port}</td>
			<td colSpan={5}>
				served by {served.by}, {served.requests} {served.requests === 1 ? "request" : "requests"} in the last {served.windowSeconds === 3600 ? "hour" : formatDuration(served.windowSeconds * 1000)}
			</td>
		</tr>
	);
}
