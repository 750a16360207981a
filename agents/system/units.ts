// The boot units, rendered as text from what they run (pure: tested by equality), and
// installed: written, systemd told, enabled. systemd starts the proxy first, then the
// agent, which starts every app's live release again.
import { join } from "node:path";
import type { ProxyLaunch } from "../proxy/launch.js";
import { DAEMON_NODE_ARGS } from "../daemon/memory-flags.js";

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
	return `[Unit]
Description=Deploy Platform proxy (${title}): routes requests to the apps of this server
After=network-online.target
Wants=network-online.target
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
