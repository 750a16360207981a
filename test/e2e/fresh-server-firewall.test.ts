// Issue 12: a server whose host firewall (ufw) is active and closes everything but SSH.
// `servers add` opens the proxy's ports, the app answers through them, and `servers rm
// --purge` closes exactly those, leaving the owner's SSH rule. The server has a network
// namespace of its own (the fixture's `network: "own"`), so its ufw rules never touch
// this machine's; the test reaches it at its own address on the veth pair it made.
// Its Node.js mirror and Caddy's release (this machine's Caddy, packed as Caddy's
// releases are) are served at this machine's end of the pair: the server has no other
// network.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { PROXY_RELEASES } from "../../agents/system/proxy-release.js";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, reachable } from "../helpers/net.js";

const CADDY = PROXY_RELEASES.caddy.version;

function get(address: string, port: number, host: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request({ host: address, port, path: "/", headers: { host }, timeout: 5000 }, (res) => {
			res.resume();
			res.on("end", () => resolve(res.statusCode ?? 0));
		});
		req.on("timeout", () => req.destroy(new Error("timeout")));
		req.on("error", reject);
		req.end();
	});
}

describe("an active ufw: the proxy's ports opened by servers add, closed by the purge", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let home: string;
	let httpPort: number;
	let httpsPort: number;
	const cli = (args: string[], cwd = home) => runCli(args, { cwd, env: { DEPLOY_HOME: home } });
	const ufwRules = async () => (await server.exec("ufw status | sed -n 's/^\\([0-9]*\\/tcp\\) .*ALLOW.*/\\1/p' | sort -u")).stdout.split("\n").filter(Boolean);

	beforeAll(async () => {
		server = await startFreshServer({ network: "own" });
		mirror = await startNodeMirror({ host: server.gateway });
		home = await mkdtemp(join(tmpdir(), "deploy-fresh-ufw-"));
		httpPort = await freePort();
		httpsPort = await freePort();
		// Caddy's release, for a server whose distribution has none (below): this machine's Caddy binary, packed and summed.
		await copyFile("/usr/bin/caddy", join(home, "caddy"));
		const tarball = `caddy_${CADDY}_linux_amd64.tar.gz`;
		await execa("tar", ["-czf", join(home, tarball), "-C", home, "caddy"]);
		const bytes = await readFile(join(home, tarball));
		mirror.addFile(`/caddy/v${CADDY}/${tarball}`, bytes);
		mirror.addFile(`/caddy/v${CADDY}/caddy_${CADDY}_checksums.txt`, `${createHash("sha512").update(bytes).digest("hex")}  ${tarball}\n`);
		await server.exec(`printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\\nID=debian\\nVERSION_ID="11"\\n' > /etc/os-release.new && mv /etc/os-release.new /etc/os-release`);
		// The owner's firewall, as a hardened server has it: SSH in, nothing else.
		await server.installPackages(["ufw"]);
		const enabled = await server.exec(`ufw allow ${server.port}/tcp && ufw --force enable`);
		assert.equal(enabled.exitCode, 0, enabled.stderr);
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		await rm(home, { recursive: true, force: true });
	});

	test("servers add opens the proxy's ports in ufw; the app answers through them", async () => {
		assert.deepEqual(await ufwRules(), [`${server.port}/tcp`]);
		const run = await cli(["servers", "add", "prod", `root@${server.host}`, "--port", String(server.port), "--identity", server.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(httpsPort), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--proxy-mirror", `${mirror.url}/caddy`, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const firewall = run.lines.find((l) => (l as { step?: string; status?: string }).step === "firewall" && (l as { status?: string }).status === "done") as { message: string };
		assert.equal(firewall.message, `ufw: opened ${httpPort}/tcp, ${httpsPort}/tcp`);
		assert.deepEqual((await ufwRules()).sort(), [`${server.port}/tcp`, `${httpPort}/tcp`, `${httpsPort}/tcp`].sort());

		const app = join(home, "hello");
		await cp(join(repoRoot, "examples", "hello"), app, { recursive: true });
		const deploy = await cli(["--json"], app);
		assert.equal(deploy.code, 0, deploy.stderr);
		assert.equal(await get(server.host, httpPort, `hello.${server.host}.sslip.io`), 200);
	});

	test("the firewall has teeth: without the rule servers add made, the app cannot be reached", async () => {
		await server.exec(`ufw delete allow ${httpPort}/tcp`);
		try {
			assert.equal(await reachable(server.host, httpPort), false, "ufw drops it");
		} finally {
			await server.exec(`ufw allow ${httpPort}/tcp`);
		}
		assert.equal(await get(server.host, httpPort, `hello.${server.host}.sslip.io`), 200);
	});

	test("servers rm --purge closes what it opened and leaves the owner's SSH rule", async () => {
		const run = await cli(["servers", "rm", "prod", "--purge", "--yes", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const purged = (run.last as { purged: { removed: string[] } }).purged;
		assert.ok(purged.removed.includes(`ufw rule ${httpPort}/tcp`) && purged.removed.includes(`ufw rule ${httpsPort}/tcp`), purged.removed.join(", "));
		assert.deepEqual(await ufwRules(), [`${server.port}/tcp`]);
		assert.equal(await reachable(server.host, httpPort), false);
	});
});
