// Issue 12: Caddy where the distribution has no package (Debian 11, Ubuntu 22.04) comes
// from Caddy's own release tarball, checked against the release's sha512 checksums file.
// GitHub cannot be reached here: the mirror fixture serves a release made of this
// machine's own Caddy binary (Debian's 2.6.2, a real Caddy that really serves), packed
// and summed as Caddy's releases are. The server is the bare Debian 12 with its
// /etc/os-release saying Debian 11, which is all the choice reads.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { copyFile, cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { PROXY_RELEASES } from "../../agents/system/proxy-release.js";
import { type FreshServer, startFreshServer } from "../fixtures/fresh-server.js";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { repoRoot, runCli } from "../helpers/cli.js";
import { freePort, httpGet } from "../helpers/net.js";

const VERSION = PROXY_RELEASES.caddy.version;
const TARBALL = `caddy_${VERSION}_linux_amd64.tar.gz`;

describe("Caddy from its release tarball where the distribution has none", () => {
	let server: FreshServer;
	let mirror: NodeMirror;
	let home: string;
	let httpPort: number;
	const cli = (args: string[], cwd = home) => runCli(args, { cwd, env: { DEPLOY_HOME: home } });

	beforeAll(async () => {
		[server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
		home = await mkdtemp(join(tmpdir(), "deploy-fresh-caddy-"));
		httpPort = await freePort();
		await copyFile("/usr/bin/caddy", join(home, "caddy"));
		await execa("tar", ["-czf", join(home, TARBALL), "-C", home, "caddy"]);
		const tarball = await readFile(join(home, TARBALL));
		const sha512 = createHash("sha512").update(tarball).digest("hex");
		mirror.addFile(`/caddy/v${VERSION}/${TARBALL}`, tarball);
		mirror.addFile(`/caddy/v${VERSION}/caddy_${VERSION}_checksums.txt`, `${"0".repeat(128)}  caddy_${VERSION}_linux_arm64.tar.gz\n${sha512}  ${TARBALL}\n`);
		await server.exec(`printf 'PRETTY_NAME="Debian GNU/Linux 11 (bullseye)"\\nID=debian\\nVERSION_ID="11"\\n' > /etc/os-release.new && mv /etc/os-release.new /etc/os-release`);
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
		await rm(home, { recursive: true, force: true });
	});

	test("servers add: Caddy's release, sha512-checked, installed under the agent's home; it serves the app", async () => {
		const run = await cli(["servers", "add", "prod", "root@127.0.0.1", "--port", String(server.port), "--identity", server.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--proxy-mirror", `${mirror.url}/caddy`, "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const proxy = run.lines.find((l) => (l as { step?: string; status?: string }).step === "proxy" && (l as { status?: string }).status === "done") as { message: string };
		assert.equal(proxy.message, `caddy ${VERSION} installed from its release tarball, checksum-verified against the release's own checksums file`);
		assert.equal((await server.exec("dpkg-query -W caddy")).exitCode, 1, "no Debian package");
		assert.match((await server.readFile("/etc/systemd/system/deploy-proxy.service")) ?? "", /^ExecStart=\/var\/lib\/deploy\/bin\/caddy run --config /m);

		const app = join(home, "hello");
		await cp(join(repoRoot, "examples", "hello"), app, { recursive: true });
		const deploy = await cli(["--json"], app);
		assert.equal(deploy.code, 0, deploy.stderr);
		assert.equal((await httpGet(httpPort, "hello.127.0.0.1.sslip.io")).status, 200);
	});
});
