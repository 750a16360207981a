// Issue 14, item 14: which proxy works on a server, from the probe's output (pure).
import assert from "node:assert/strict";
import { test } from "vitest";
import { parseProxyProbe, proxyOptions } from "../../../core/servers/proxy-choice.js";

test("an installed Caddy, ports from /proc/net/tcp in hex, and noise from a chatty rc file", () => {
	const probe = parseProxyProbe(["Welcome!", "deploy-probe: caddy=/usr/bin/caddy\tv2.6.2 h1:abc=", "deploy-probe: listen=0050", "deploy-probe: listen=0016", "deploy-probe: listen=0050"].join("\n"));
	assert.deepEqual(probe, { found: { caddy: { path: "/usr/bin/caddy", version: "2.6.2" } }, listening: [22, 80] });
	const { options, recommended } = proxyOptions(probe);
	assert.equal(recommended, "caddy");
	assert.deepEqual(
		options.map((option) => [option.kind, option.note]),
		[
			["traefik", "not installed: its release is downloaded and checked against its checksums"],
			["caddy", "installed on the server (2.6.2) at /usr/bin/caddy: used as it is"],
		],
	);
});

test("no proxy on the server: Traefik, the default; a Traefik found is told with its version", () => {
	assert.equal(proxyOptions(parseProxyProbe("")).recommended, "traefik");
	const probe = parseProxyProbe("deploy-probe: traefik=/var/lib/deploy/bin/traefik\tVersion:      3.1.2");
	assert.deepEqual(probe.found.traefik, { path: "/var/lib/deploy/bin/traefik", version: "3.1.2" });
	assert.equal(proxyOptions(probe).recommended, "traefik");
});
