import { useEffect } from "react";
import type { ProjectInfo } from "../api/bridge.js";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { useAlerts } from "../stores/alerts.js";
import { useConfig } from "../stores/config.js";
import { useDeployments } from "../stores/deployments.js";
import { useDomains } from "../stores/domains.js";
import { useInstances } from "../stores/instances.js";
import { currentRelease } from "../stores/overview-facts.js";
import "../styles/overview.css";
import { AppSummary } from "./overview/AppSummary.js";
import { CurrentRelease } from "./overview/CurrentRelease.js";
import { DomainsSummary } from "./overview/DomainsSummary.js";
import { InstancesSummary } from "./overview/InstancesSummary.js";
import { RecentDeployments } from "./overview/RecentDeployments.js";
import { RecentErrors } from "./overview/RecentErrors.js";
import { useChosenProject } from "../stores/chosen-project.js";

/**
 * The page an app opens on (issue 14): where it answers and in what state, the release
 * serving, its instances, its last deployments, its domains and certificates, and what
 * went wrong lately. Every piece comes from the api the other views call.
 */
export function OverviewView() {
	const { projects, loaded, project, selectApp } = useChosenProject();

	return (
		<>
			<header className="view-header">
				<h1>Overview</h1>
				{projects.length ? <AppPicker projects={projects} dir={project?.dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? <AppOverview project={project} /> : loaded ? <Empty>Link an app first (Apps).</Empty> : null}
		</>
	);
}

function AppOverview({ project }: { project: ProjectInfo }) {
	const loadHistory = useDeployments((state) => state.load);
	const loadInstances = useInstances((state) => state.load);
	const loadDomains = useDomains((state) => state.load);
	const loadAlerts = useAlerts((state) => state.load);
	const loadConfig = useConfig((state) => state.load);
	const liveId = useDeployments((state) => currentRelease(state.history[project.dir]?.records ?? [])?.id);
	const { dir, name, server } = project;
	useEffect(() => {
		// By value: the project list reloads after each deploy, with new objects.
		const target = { dir, name, server };
		// deploy.yaml, read locally: the generated URL.
		void Promise.all([loadHistory(target), loadInstances(target), loadAlerts(target), loadConfig(name)]);
	}, [loadHistory, loadInstances, loadAlerts, loadConfig, dir, name, server]);
	useEffect(() => {
		// The server routes domains only for a live release (NOT_DEPLOYED before): ask once there is one.
		if (liveId) void loadDomains({ dir, name, server });
	}, [loadDomains, liveId, dir, name, server]);
	const refresh = () => void Promise.all([loadHistory(project), loadInstances(project), loadAlerts(project), liveId ? loadDomains(project) : undefined]);

	return (
		<>
			<AppSummary project={project} onRefresh={refresh} />
			<div className="overview-grid">
				<CurrentRelease project={project} />
				<InstancesSummary project={project} />
				<RecentDeployments project={project} />
				<DomainsSummary project={project} />
				<RecentErrors project={project} />
			</div>
		</>
	);
}
