// Issue 6, automatic TLS end to end: Pebble (Let's Encrypt's test CA) as the ACME
// server, a real sshd + agent + Caddy on 127.0.0.1, all through the built CLI as a user
// runs it (`npm run build` first). Pebble's mock DNS answers 127.0.0.1 for every name
// and validates against the proxy's own ports, so a made-up domain gets a real
// certificate. Nothing is mocked.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { connect as tlsConnect, type SecureVersion } from "node:tls";
import { type Pebble, startPebble } from "../../fixtures/pebble.js";
import { type Sshd, startSshd } from "../../fixtures/sshd.js";
import { type CliRun, repoRoot, runCli } from "../../helpers/cli.js";
import { freePort, httpsGet } from "../../helpers/net.js";

const domain = "shop.example.test";
const helloBody = "Hello from Deploy Platform\n";

interface CertificateRow {
	host: string;
	issuer: string | null;
	notAfter: string | null;
	state: string;
}

describe("ACME with Pebble: servers add --acme-ca, then a domain is served over HTTPS by Caddy", () => {
	let pebble: Pebble;
	let sshd: Sshd;
	let home: string;
	let appDir: string;
	let httpPort: number;
	let httpsPort: number;
	let root: string;
	const cli = (args: string[]) => runCli(args, { cwd: appDir, env: { DEPLOY_HOME: home } });
	const ok = (run: CliRun) => assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);

	/** `deploy domains ls --json` until the domain's certificate is no longer pending. */
	async function certificateOf(host: string): Promise<CertificateRow> {
		const deadline = Date.now() + 60_000;
		for (;;) {
			const run = await cli(["domains", "ls", "--json"]);
			ok(run);
			const row = (run.last as { domains: { domain: string; certificate: CertificateRow }[] }).domains.find((d) => d.domain === host);
			assert.ok(row, `domains ls lists ${host}: ${run.stdout}`);
			if (row.certificate.state !== "pending" || Date.now() > deadline) return row.certificate;
			await sleep(500);
		}
	}

	beforeAll(async () => {
		[httpPort, httpsPort] = [await freePort(), await freePort()];
		// Pebble first: Caddy backs off for a minute after a failed attempt.
		pebble = await startPebble({ httpPort, tlsPort: httpsPort });
		sshd = await startSshd();
		home = await mkdtemp(join(tmpdir(), "deploy-acme-home-"));
		appDir = await mkdtemp(join(tmpdir(), "deploy-acme-app-"));
		await cp(join(repoRoot, "examples", "hello"), appDir, { recursive: true });
		await writeFile(join(appDir, "deploy.yaml"), `app: shop\ndomains: [${domain}]\n`);
	});

	afterAll(async () => {
		await sshd?.stop();
		await pebble?.stop();
		if (home) await rm(home, { recursive: true, force: true });
		if (appDir) await rm(appDir, { recursive: true, force: true });
	});

	const addArgs = (name: string) => [
		...["servers", "add", name, `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy"],
		...["--http-port", String(httpPort), "--https-port", String(httpsPort), "--accept-new-host-key", "--json"],
	];

	test("bad ACME flags are refused before any connection, and nothing is remembered", async () => {
		const notPem = join(appDir, "server.js");
		const cases: [string[], RegExp][] = [
			[["--acme-ca", pebble.directory, "--acme-ca-root", notPem], /is not a PEM certificate/],
			[["--acme-ca", pebble.directory, "--acme-ca-root", join(appDir, "missing.pem")], /Cannot read --acme-ca-root/],
			[["--acme-ca", "http://127.0.0.1/dir"], /https:\/\/ ACME directory/],
			[["--acme-email", "not-an-address"], /acmeEmail/],
			[["--no-tls", "--acme-ca", pebble.directory], /cannot be used with --no-tls/],
		];
		for (const [flags, message] of cases) {
			const run = await cli([...addArgs("prod"), ...flags]);
			assert.equal(run.code, 2, `${flags.join(" ")}: ${run.stdout}`);
			assert.equal((run.last as { error: { code: string } }).error.code, "BAD_ARGUMENT");
			assert.match((run.last as { error: { message: string } }).error.message, message);
		}
		const ls = await cli(["servers", "ls", "--json"]);
		assert.deepEqual(JSON.parse(ls.stdout), []);
	});

	test("servers add --acme-ca sets up the agent and Caddy; servers ls shows the CA", async () => {
		ok(await cli([...addArgs("prod"), "--acme-ca", pebble.directory, "--acme-ca-root", pebble.endpointCertFile, "--acme-email", "ops@example.test"]));
		const ls = await cli(["servers", "ls", "--json"]);
		const [server] = JSON.parse(ls.stdout) as { tls: boolean; acmeCa: string | null; acmeEmail: string | null }[];
		assert.deepEqual([server?.tls, server?.acmeCa, server?.acmeEmail], [true, pebble.directory, "ops@example.test"]);
		const human = await cli(["servers", "ls"]);
		assert.match(human.stdout, /TLS CA/);
		assert.ok(human.stdout.includes(pebble.directory), human.stdout);
	});

	test("deploy prints the URL that works first, and the domain's with its certificate's state", async () => {
		const run = await cli(["--json"]);
		ok(run);
		const result = run.last as { url: string; urls: { url: string; host: string; certificate: string }[] };
		const own = result.urls.find((u) => u.host === domain);
		// Issue 14: https:// once the certificate is valid; until then HTTP serves the domain and the sslip.io URL comes first.
		if (own?.certificate === "valid") assert.equal(result.url, `https://${domain}:${httpsPort}`);
		else {
			assert.equal(own?.url, `http://${domain}:${httpPort}`);
			assert.equal(result.url, `http://shop.127.0.0.1.sslip.io:${httpPort}`);
		}
	});

	test("Caddy obtains the domain's certificate from Pebble; domains ls says valid, issued by Pebble", async () => {
		const certificate = await certificateOf(domain);
		assert.equal(certificate.state, "valid", JSON.stringify(certificate));
		assert.match(certificate.issuer ?? "", /^Pebble Intermediate CA/);
		assert.ok(new Date(certificate.notAfter ?? 0).getTime() > Date.now());
	});

	test("an HTTPS request that trusts only Pebble's root reaches the app", async () => {
		root = await pebble.issuerRoot();
		const response = await httpsGet({ host: "127.0.0.1", port: httpsPort, servername: domain, headers: { host: `${domain}:${httpsPort}` }, agent: false }, root);
		assert.deepEqual(response, { status: 200, body: helloBody });
	});

	test("HTTP to the domain redirects permanently to the same URL over HTTPS", async () => {
		const headers = await headersWithStatus(httpPort, domain, "/cart?item=1");
		assert.equal(headers.status, 308);
		assert.equal(headers.location, `https://${domain}:${httpsPort}/cart?item=1`);
	});

	test("the generated sslip.io host on non-standard ports stays plain HTTP", async () => {
		const headers = await headersWithStatus(httpPort, "shop.127.0.0.1.sslip.io", "/");
		assert.deepEqual(headers, { status: 200, location: undefined });
	});

	test("TLS 1.1 is refused; the same client with TLS 1.2 is served", async () => {
		await assert.rejects(handshake(httpsPort, domain, root, "TLSv1.1"), /alert protocol version/);
		assert.equal(await handshake(httpsPort, domain, root, "TLSv1.2"), "TLSv1.2");
	});

	test("the same server set up again with --no-tls serves the domain over plain HTTP, without redirect", async () => {
		ok(await cli([...addArgs("plain"), "--no-tls"]));
		const headers = await headersWithStatus(httpPort, domain, "/");
		assert.equal(headers.status, 200);
		assert.equal(headers.location, undefined);
		await assert.rejects(handshake(httpsPort, domain, root, "TLSv1.2"), /ECONNREFUSED/);
		const ls = await cli(["servers", "ls"]);
		assert.match(ls.stdout, /plain .*off \(--no-tls\)/);
	});
});

function headersWithStatus(port: number, host: string, path: string): Promise<{ status: number; location: string | undefined }> {
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host: `${host}:${port}` }, agent: false }, (res) => {
			res.resume();
			res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
		});
		req.on("error", reject);
		req.end();
	});
}

/** A TLS handshake capped at `version`; resolves to the negotiated protocol. SECLEVEL=0 so the client itself may offer TLS 1.1. */
function handshake(port: number, host: string, ca: string, version: SecureVersion): Promise<string | null> {
	return new Promise((resolve, reject) => {
		const socket = tlsConnect({ host: "127.0.0.1", port, servername: host, ca, minVersion: "TLSv1", maxVersion: version, ciphers: "DEFAULT@SECLEVEL=0" });
		socket.once("secureConnect", () => {
			const protocol = socket.getProtocol();
			socket.end();
			resolve(protocol);
		});
		socket.once("error", reject);
	});
}
