// The boot units, rendered as text from what they run (pure: tested by equality), and
// installed: written, systemd told, enabled. systemd starts the proxy first, then the
// agent, which starts every app's live release again.
import { join } from "node:path";
import type { ProxyLaunch } from "../proxy/launch.js";
import { UPSTREAM_DNS_UNIT } from "./systemd.js";
import { DAEMON_NODE_ARGS } from "./memory-flags.js";

export interface AgentUnitInput {
	/** The agent's Node: the runtimes/agent link, so an upgrade of the runtime needs no new unit. */
	node: string;
	bundle: string;
	home: string;
}

export function renderAgentUnit({ node, bundle, home }: AgentUnitInput): string {
	return `[Unit]
Description=Deploy Platform agent: builds, runs and routes the apps of this server
After=network-online.target deploy-proxy.service
Wants=network-online.target

[Service]
Type=simple
User=root
WorkingDirectory=${home}
Environment=DEPLOY_AGENT_HOME=${home}
ExecStart=${[node, ...DAEMON_NODE_ARGS, bundle, "daemon"].join(" ")}
Restart=always
RestartSec=2
# The apps are the agent's detached children: a restart of the agent (an upgrade, a
# crash) must not take them down with it; the new agent adopts them.
KillMode=process
# A daemon that finds another one serving exits with 75 and is not restarted.
RestartPreventExitStatus=75
# agent.log, which systemd creates, is the agent's alone, as its whole home (issue 13).
UMask=0077
StandardOutput=append:${join(home, "agent.log")}
StandardError=append:${join(home, "agent.log")}

[Install]
WantedBy=multi-user.target
`;
}

export function renderProxyUnit(launch: ProxyLaunch): string {
	const title = launch.name === "caddy" ? "Caddy" : "Traefik";
	// Caddy asks the resolver which instances serve each app (agents/proxy/caddy/upstream-dns).
	const resolver = launch.name === "caddy" ? ` ${UPSTREAM_DNS_UNIT}` : "";
	return `[Unit]
Description=Deploy Platform proxy (${title}): routes requests to the apps of this server
After=network-online.target${resolver}
Wants=network-online.target${resolver}
# Nothing to serve until the agent wrote the proxy's configuration.
ConditionPathExists=${launch.config}

[Service]
Type=simple
User=root
WorkingDirectory=${launch.cwd}
EnvironmentFile=-${launch.envFile}
ExecStart=${[launch.binary, ...launch.args].join(" ")}
Restart=on-failure
RestartSec=2
LimitNOFILE=1048576
# The proxy's log (systemd creates it), its certificates and access log: root's alone (issue 13).
UMask=0077
StandardOutput=append:${launch.log}
StandardError=append:${launch.log}

[Install]
WantedBy=multi-user.target
`;
}

/**
 * Caddy's upstream resolver: the agent's own file in its `upstream-dns` mode, a process
 * of its own so Caddy routes to the live instances while the agent is down.
 */
export function renderUpstreamDnsUnit(launch: ProxyLaunch): string {
	return `[Unit]
Description=Deploy Platform upstream resolver: tells the proxy which instances serve each app
After=network-online.target
Wants=network-online.target
# The agent chooses its port (and writes this file) before it first starts it.
ConditionPathExists=${launch.config}

[Service]
Type=simple
User=root
WorkingDirectory=${launch.cwd}
ExecStart=${[launch.binary, ...launch.args].join(" ")}
Restart=always
RestartSec=1
UMask=0077
StandardOutput=append:${launch.log}
StandardError=append:${launch.log}

[Install]
WantedBy=multi-user.target
`;
}
