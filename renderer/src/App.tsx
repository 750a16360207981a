import { type ReactNode, useEffect } from "react";
import { DropZone } from "./components/DropZone.js";
import { type Theme, useUi, type View } from "./stores/ui.js";
import { AnalyticsView } from "./views/AnalyticsView.js";
import { AppsView } from "./views/AppsView.js";
import { DeploymentsView } from "./views/DeploymentsView.js";
import { DomainsView } from "./views/DomainsView.js";
import { EnvView } from "./views/EnvView.js";
import { InstancesView } from "./views/InstancesView.js";
import { LogsView } from "./views/LogsView.js";
import { OverviewView } from "./views/OverviewView.js";
import { ServersView } from "./views/ServersView.js";
import { SettingsView } from "./views/SettingsView.js";
import { TerminalView } from "./views/TerminalView.js";
import { TeamView } from "./views/TeamView.js";

const views: { id: View; label: string; render: () => ReactNode }[] = [
	{ id: "servers", label: "Servers", render: () => <ServersView /> },
	{ id: "apps", label: "Apps", render: () => <AppsView /> },
	{ id: "overview", label: "Overview", render: () => <OverviewView /> },
	{ id: "deployments", label: "Deployments", render: () => <DeploymentsView /> },
	{ id: "logs", label: "Logs", render: () => <LogsView /> },
	{ id: "instances", label: "Instances", render: () => <InstancesView /> },
	{ id: "analytics", label: "Analytics", render: () => <AnalyticsView /> },
	{ id: "env", label: "Environment", render: () => <EnvView /> },
	{ id: "domains", label: "Domains", render: () => <DomainsView /> },
	{ id: "team", label: "Team", render: () => <TeamView /> },
	{ id: "terminal", label: "Terminal", render: () => <TerminalView /> },
	{ id: "settings", label: "Settings", render: () => <SettingsView /> },
];

/** Issue 17, item 4: what the dashboard a server serves shows: one server's apps; no servers, terminal, team or local settings. */
export const SERVER_VIEWS: readonly View[] = ["apps", "overview", "deployments", "logs", "instances", "env", "domains"];

interface AppProps {
	/** The views offered; default every one (the desktop and `deploy ui`). */
	only?: readonly View[];
	/** Beside the theme switch: the signed-in member and sign-out, in the server's dashboard. */
	account?: ReactNode;
}

export function App({ only, account }: AppProps = {}) {
	const { view, go, theme, setTheme } = useUi();
	useEffect(() => applyTheme(theme), [theme]);
	const shown = only ? views.filter((entry) => only.includes(entry.id)) : views;
	const current = shown.find((entry) => entry.id === view) ?? shown[0]!;
	const dark = effectiveTheme(theme) === "dark";

	return (
		<div className="shell">
			<header className="topbar">
				<span className="brand">Deploy</span>
				{account}
				<button type="button" className="ghost" onClick={() => setTheme(dark ? "light" : "dark")} aria-pressed={dark}>
					{dark ? "Light mode" : "Dark mode"}
				</button>
			</header>
			<nav className="sidebar" aria-label="Views">
				<ul>
					{shown.map((entry) => (
						<li key={entry.id}>
							<button type="button" className="nav-item" aria-current={entry.id === view ? "page" : undefined} onClick={() => go(entry.id)}>
								{entry.label}
							</button>
						</li>
					))}
				</ul>
			</nav>
			<main className="content" key={current.id}>
				{current.render()}
			</main>
			{only ? null : <DropZone />}
		</div>
	);
}

function applyTheme(theme: Theme) {
	// "system" leaves the choice to prefers-color-scheme (see the CSS's light-dark()).
	if (theme === "system") delete document.documentElement.dataset.theme;
	else document.documentElement.dataset.theme = theme;
}

function effectiveTheme(theme: Theme): "light" | "dark" {
	if (theme !== "system") return theme;
	return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}
