// Issue 12: Traefik, the default proxy, installed from its release tarball on a bare
// Debian 12 as root, and `servers rm --purge` leaving the server exactly as it was found.
// No Traefik binary can be downloaded here: the mirror fixture serves a stand-in tarball
// (a script named traefik that answers `traefik version` and stays up, as the real one
// does) with a checksums file in the release's format. What is tested is our part:
// download, checksum against the release's own file, unpack, unit, start, purge.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { PROXY_RELEASES } from "../../agents/system/proxy-release.js";
import { debianBase } from "../fixtures/fresh-server/base-image.js";
import type { Change } from "../fixtures/fresh-server/changes.js";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

const VERSION = PROXY_RELEASES.traefik.version;
const TARBALL = `traefik_v${VERSION}_linux_amd64.tar.gz`;

/** The stand-in release: the tarball with its one binary (saying `version`), and the checksums file the project publishes beside it. */
async function standInRelease(dir: string): Promise<{ tarball: Buffer; checksums: string }> {
	const binary = join(dir, "traefik");
	await writeFile(binary, standIn(VERSION));
	await chmod(binary, 0o755);
	await execa("tar", ["-czf", join(dir, TARBALL), "-C", dir, "traefik"]);
	const tarball = await readFile(join(dir, TARBALL));
	const sha = createHash("sha256").update(tarball).digest("hex");
	return { tarball, checksums: `${"0".repeat(64)}  traefik_v${VERSION}_linux_arm64.tar.gz\n${sha}  ${TARBALL}\n` };
}

/** A script that answers `traefik version` as Traefik does and otherwise stays up, as the proxy does. */
function standIn(version: string): string {
	return `#!/bin/sh\nif [ "$1" = version ]; then printf 'Version:      ${version}\\nCodename:     stand-in\\n'; exit 0; fi\necho "stand-in traefik $*"\nwhile :; do sleep 1; done\n`;
}

describe("Traefik from its release on a bare server, and a purge that leaves it as found", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let home: string;
	let work: string;
	let found: Map<string, Change>;
	let release: { tarball: Buffer; checksums: string };
	const cli = (args: string[]) => runCli(args, { cwd: home, env: { DEPLOY_HOME: home } });
	let args: string[];

	beforeAll(async () => {
		[server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
		home = await mkdtemp(join(tmpdir(), "deploy-fresh-traefik-home-"));
		work = await mkdtemp(join(tmpdir(), "deploy-fresh-traefik-"));
		release = await standInRelease(work);
		mirror.addFile(`/traefik/v${VERSION}/traefik_v${VERSION}_checksums.txt`, release.checksums);
		args = ["servers", "add", "prod", "root@127.0.0.1", "--port", String(server.port), "--identity", server.identityFile, "--http-port", String(await freePort()), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--proxy-mirror", `${mirror.url}/traefik`, "--json"];
		found = await server.changes();
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		await rm(home, { recursive: true, force: true });
		await rm(work, { recursive: true, force: true });
	});

	test("a tarball that does not match the release's checksums file is refused: no traefik installed", async () => {
		const altered = Buffer.from(release.tarball);
		altered[altered.length >> 1]! ^= 0xff;
		mirror.addFile(`/traefik/v${VERSION}/${TARBALL}`, altered);
		const run = await cli(args);
		assert.equal(run.code, 1, run.stderr);
		const error = run.last.error as { code: string; message: string };
		assert.equal(error.code, "PROXY_CHECKSUM_MISMATCH");
		assert.match(error.message, new RegExp(`${TARBALL} does not match traefik_v${VERSION}_checksums.txt .*Nothing was installed`));
		assert.equal((await server.exec("ls -A /var/lib/deploy/bin")).stdout.split("\n").filter((name) => name.includes("traefik")).length, 0);
		assert.deepEqual(JSON.parse((await cli(["servers", "ls", "--json"])).stdout), []);
	});

	test("servers add as root: traefik downloaded, verified, unpacked, its unit enabled and started", async () => {
		mirror.addFile(`/traefik/v${VERSION}/${TARBALL}`, release.tarball);
		const run = await cli(args);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const steps = run.lines.filter((l) => (l as { status?: string }).status === "done") as { step: string; message?: string }[];
		assert.equal(steps.find((s) => s.step === "sudo")?.message, "logged in as root");
		assert.equal(steps.find((s) => s.step === "proxy")?.message, `traefik ${VERSION} installed from its release tarball, checksum-verified against the release's own checksums file`);
		const setup = (run.last as { setup: { proxy: { source: string; binary: string; running: string } } }).setup;
		assert.deepEqual([setup.proxy.source, setup.proxy.binary, setup.proxy.running], ["release", "/var/lib/deploy/bin/traefik", VERSION]);
		assert.match((await server.readFile("/etc/systemd/system/deploy-proxy.service")) ?? "", /^ExecStart=\/var\/lib\/deploy\/bin\/traefik --configFile=\/var\/lib\/deploy\/proxy\/traefik.yaml$/m);
		assert.equal((await server.exec("stat -c '%a %U' /var/lib/deploy")).stdout, "700 root\n", "root's login: the home stays root's alone");
		const running = (await server.processes()).filter((p) => p.cmdline.includes("--configFile=/var/lib/deploy/proxy/traefik.yaml"));
		assert.equal(running.length, 1, "the agent started the proxy");
	});

	test("servers upgrade replaces a release binary of another version and restarts it; the same version is left alone", async () => {
		// What an older client installed: the release binary of another version, running.
		await server.exec("cat > /var/lib/deploy/bin/.traefik && chmod 755 /var/lib/deploy/bin/.traefik && mv /var/lib/deploy/bin/.traefik /var/lib/deploy/bin/traefik", { input: standIn("3.7.4") });
		assert.match((await server.exec("/var/lib/deploy/bin/traefik version")).stdout, /Version:\s+3\.7\.4/);
		const proxyPid = async () => (await server.processes()).filter((p) => p.cmdline.includes("--configFile=/var/lib/deploy/proxy/traefik.yaml")).map((p) => p.pid);
		const before = await proxyPid();
		const upgrade = await cli(["servers", "upgrade", "prod", "--json"]);
		assert.equal(upgrade.code, 0, upgrade.stderr + upgrade.stdout);
		const proxyStep = upgrade.lines.find((l) => (l as { step?: string; status?: string }).step === "proxy" && (l as { status?: string }).status === "done") as { message: string };
		assert.equal(proxyStep.message, `traefik ${VERSION} upgraded from 3.7.4 from its release tarball, checksum-verified against the release's own checksums file`);
		assert.match((await server.exec("/var/lib/deploy/bin/traefik version")).stdout, new RegExp(`Version:\\s+${VERSION.replaceAll(".", "\\.")}`));
		const after = await proxyPid();
		assert.equal(after.length, 1);
		assert.notDeepEqual(after, before, "restarted on the new binary");
		const again = await cli(["servers", "upgrade", "prod", "--json"]);
		assert.equal(again.code, 0, again.stderr);
		assert.deepEqual(await proxyPid(), after, "the same version: not restarted");
	});

	test("a reboot starts the proxy's unit, then the agent's; the logs their units create are root's alone", async () => {
		// Issue 13: systemd creates a unit's output file with the unit's umask (022 by default).
		await server.exec("rm -f /var/lib/deploy/agent.log /var/lib/deploy/proxy/traefik.log");
		assert.deepEqual(await server.reboot(), ["deploy-proxy.service", "deploy-agent.service"]);
		const modes = await server.exec("stat -c '%a %n' /var/lib/deploy/agent.log /var/lib/deploy/proxy/traefik.log");
		assert.equal(modes.stdout, "600 /var/lib/deploy/agent.log\n600 /var/lib/deploy/proxy/traefik.log\n", modes.stderr);
		// Nothing in the home that others may read or write; the Node.js releases keep their published modes.
		const open = await server.exec("find /var/lib/deploy ! -type l -perm /066 ! -path '/var/lib/deploy/runtimes/node-v*' -printf '%m %p\\n'");
		assert.equal(open.stdout, "", `readable or writable by others:\n${open.stdout}`);
		const processes = await server.processes();
		assert.ok(processes.some((p) => p.cmdline.includes("--configFile=/var/lib/deploy/proxy/traefik.yaml")), "traefik");
		assert.ok(processes.some((p) => p.cmdline.at(-1) === "daemon" && p.cmdline.includes("/var/lib/deploy/bin/agent.mjs")), "the agent");
		const status = await cli(["servers", "status", "prod", "--json"]);
		assert.equal(status.code, 0, status.stderr);
		// The agent adopted the proxy its unit started instead of starting a second one.
		const proxies = (await server.processes()).filter((p) => p.cmdline.includes("--configFile=/var/lib/deploy/proxy/traefik.yaml"));
		assert.equal(proxies.length, 1, JSON.stringify(proxies));
		assert.equal((await server.readFile("/var/lib/deploy/proxy/traefik.pid"))?.trim(), String(proxies[0]?.pid));
	});

	test("servers rm --purge: the server is as it was found, file for file", async () => {
		const run = await cli(["servers", "rm", "prod", "--purge", "--yes", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.deepEqual((await server.processes()).filter((p) => !p.cmdline[0]?.includes("sshd")), [], "nothing of ours runs");
		const base = await debianBase();
		const now = await server.changes();
		const left: string[] = [];
		for (const [path, change] of now) {
			const before = found.get(path);
			// A folder of the image copied up because something inside it changed and went again is not ours.
			if (!before && change.type === "dir" && existsSync(join(base, path))) continue;
			if (!before) left.push(`${path} (${change.type}) added`);
			else if (change.type === "file" && (before.size !== change.size || before.mtimeMs !== change.mtimeMs)) left.push(`${path} changed`);
			else if (change.type !== before.type) left.push(`${path} ${before.type} -> ${change.type}`);
		}
		for (const path of found.keys()) if (!now.has(path)) left.push(`${path} removed`);
		assert.deepEqual(left, []);
	});
});
