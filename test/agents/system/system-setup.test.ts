// Issue 12: the machine-wide part of `servers add`, pure parts by equality: the boot
// units' text, where the proxy comes from, the firewall's answers, release checksums.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { caddyLaunch, renderEnvFile, traefikLaunch } from "../../../agents/proxy/launch.js";
import { checksumOf } from "../../../agents/system/download.js";
import { portRules, ufwActive } from "../../../agents/system/firewall.js";
import { chooseProxySource } from "../../../agents/system/proxy-install.js";
import { releaseFiles } from "../../../agents/system/proxy-release.js";
import { renderAgentUnit, renderProxyUnit, renderUpstreamDnsUnit } from "../../../agents/system/units.js";
import { upstreamDnsLaunch } from "../../../agents/proxy/caddy/upstream-dns/process.js";

describe("system setup: boot units", () => {
	test("the agent's unit: its own runtime, restarted always, apps left running when it stops", () => {
		assert.equal(
			renderAgentUnit({ node: "/var/lib/deploy/runtimes/agent/bin/node", bundle: "/var/lib/deploy/bin/agent.mjs", home: "/var/lib/deploy" }),
			`[Unit]
Description=Deploy Platform agent: builds, runs and routes the apps of this server
After=network-online.target deploy-proxy.service
Wants=network-online.target

[Service]
Type=simple
User=root
WorkingDirectory=/var/lib/deploy
Environment=DEPLOY_AGENT_HOME=/var/lib/deploy
ExecStart=/var/lib/deploy/runtimes/agent/bin/node --max-semi-space-size=1 /var/lib/deploy/bin/agent.mjs daemon
Restart=always
RestartSec=2
# The apps are the agent's detached children: a restart of the agent (an upgrade, a
# crash) must not take them down with it; the new agent adopts them.
KillMode=process
# A daemon that finds another one serving exits with 75 and is not restarted.
RestartPreventExitStatus=75
# agent.log, which systemd creates, is the agent's alone, as its whole home (issue 13).
UMask=0077
StandardOutput=append:/var/lib/deploy/agent.log
StandardError=append:/var/lib/deploy/agent.log

[Install]
WantedBy=multi-user.target
`,
		);
	});

	test("the proxy's unit runs exactly what the agent would spawn, with its env file and log", () => {
		const caddy = caddyLaunch("/usr/bin/caddy", "/var/lib/deploy/proxy");
		const unit = renderProxyUnit(caddy);
		assert.match(unit, /^ExecStart=\/usr\/bin\/caddy run --config \/var\/lib\/deploy\/proxy\/caddy.json --pidfile \/var\/lib\/deploy\/proxy\/caddy.pid$/m);
		assert.match(unit, /^EnvironmentFile=-\/var\/lib\/deploy\/proxy\/proxy.env$/m);
		assert.match(unit, /^ConditionPathExists=\/var\/lib\/deploy\/proxy\/caddy.json$/m);
		assert.match(unit, /^StandardOutput=append:\/var\/lib\/deploy\/proxy\/caddy.log$/m);
		assert.match(unit, /^Restart=on-failure$/m);
		assert.match(unit, /^UMask=0077$/m, "its log and files are root's alone");
		const traefik = renderProxyUnit(traefikLaunch("/var/lib/deploy/bin/traefik", "/var/lib/deploy/proxy"));
		assert.match(traefik, /^ExecStart=\/var\/lib\/deploy\/bin\/traefik --configFile=\/var\/lib\/deploy\/proxy\/traefik.yaml$/m);
		assert.match(traefik, /^Description=Deploy Platform proxy \(Traefik\)/m);
		assert.equal(renderEnvFile({ A: "/x", B: "/y z" }), "A=/x\nB=/y z\n");
	});

	test("Caddy's unit wants its upstream resolver, started first; Traefik's has none", () => {
		const caddy = renderProxyUnit(caddyLaunch("/usr/bin/caddy", "/var/lib/deploy/proxy"));
		assert.match(caddy, /^After=network-online.target deploy-upstreams.service$/m);
		assert.match(caddy, /^Wants=network-online.target deploy-upstreams.service$/m);
		const traefik = renderProxyUnit(traefikLaunch("/var/lib/deploy/bin/traefik", "/var/lib/deploy/proxy"));
		assert.doesNotMatch(traefik, /deploy-upstreams/);
	});

	test("the resolver's unit runs the agent's own file in its upstream-dns mode, restarted always", () => {
		assert.equal(
			renderUpstreamDnsUnit(upstreamDnsLaunch(["/var/lib/deploy/runtimes/agent/bin/node", "/var/lib/deploy/bin/agent.mjs"], "/var/lib/deploy/proxy")),
			`[Unit]
Description=Deploy Platform upstream resolver: tells the proxy which instances serve each app
After=network-online.target
Wants=network-online.target
# The agent chooses its port (and writes this file) before it first starts it.
ConditionPathExists=/var/lib/deploy/proxy/upstream-dns.port

[Service]
Type=simple
User=root
WorkingDirectory=/var/lib/deploy/proxy
ExecStart=/var/lib/deploy/runtimes/agent/bin/node /var/lib/deploy/bin/agent.mjs upstream-dns /var/lib/deploy/proxy
Restart=always
RestartSec=1
UMask=0077
StandardOutput=append:/var/lib/deploy/proxy/upstream-dns.log
StandardError=append:/var/lib/deploy/proxy/upstream-dns.log

[Install]
WantedBy=multi-user.target
`,
		);
	});
});

describe("system setup: the proxy's source", () => {
	const facts = { previous: null, releaseBinary: false, onPath: false, distroHasCaddy: true };
	test("Caddy from the distribution where it has one, else the release; Traefik always the release", () => {
		assert.equal(chooseProxySource("caddy", facts), "package");
		assert.equal(chooseProxySource("caddy", { ...facts, distroHasCaddy: false }), "release");
		assert.equal(chooseProxySource("traefik", facts), "release");
	});
	test("one that was there before is used as it is; what an earlier run installed stays its way", () => {
		assert.equal(chooseProxySource("caddy", { ...facts, onPath: true }), "found");
		assert.equal(chooseProxySource("caddy", { ...facts, onPath: true, previous: "package" }), "package");
		assert.equal(chooseProxySource("traefik", { ...facts, onPath: true, releaseBinary: true }), "release");
		assert.equal(chooseProxySource("traefik", { ...facts, previous: "release" }), "release");
	});
	test("release files as each project publishes them", () => {
		assert.deepEqual(releaseFiles({ name: "traefik", version: "3.7.5", mirror: "https://github.com/traefik/traefik/releases/download/", arch: "arm64" }), {
			base: "https://github.com/traefik/traefik/releases/download/v3.7.5",
			tarball: "traefik_v3.7.5_linux_arm64.tar.gz",
			checksums: "traefik_v3.7.5_checksums.txt",
		});
		assert.deepEqual(releaseFiles({ name: "caddy", version: "2.11.7", mirror: "http://127.0.0.1:9/caddy", arch: "amd64" }), {
			base: "http://127.0.0.1:9/caddy/v2.11.7",
			tarball: "caddy_2.11.7_linux_amd64.tar.gz",
			checksums: "caddy_2.11.7_checksums.txt",
		});
	});
	test("a checksums file: sha256 or sha512 by length, only the named file", () => {
		const sha256 = "a".repeat(64);
		const sha512 = "B".repeat(128);
		const file = `${sha256}  traefik_v3.7.5_linux_amd64.tar.gz\n${"c".repeat(64)}  traefik_v3.7.5_linux_arm64.tar.gz\n${sha512} *caddy_2.11.7_linux_amd64.tar.gz\n`;
		assert.deepEqual(checksumOf(file, "traefik_v3.7.5_linux_amd64.tar.gz"), { algorithm: "sha256", hex: sha256 });
		assert.deepEqual(checksumOf(file, "caddy_2.11.7_linux_amd64.tar.gz"), { algorithm: "sha512", hex: sha512.toLowerCase() });
		assert.equal(checksumOf(file, "traefik_v3.7.5_linux_386.tar.gz"), null);
	});
});

describe("system setup: the firewall", () => {
	test("ufw filters only when its status says active; one rule per distinct port", () => {
		assert.equal(ufwActive("Status: active\n\nTo Action From\n"), true);
		assert.equal(ufwActive("Status: inactive\n"), false);
		assert.deepEqual(portRules([80, 443, 80]), ["80/tcp", "443/tcp"]);
	});
});
