// Issue 14, item 2: `deploy domains add` says what is true about the certificate, as a
// new user runs it: the built CLI against a real sshd + agent + Caddy, and Pebble (Let's
// Encrypt's test CA) with its mock DNS, which answers 127.0.0.1 for every name, so a
// made-up domain gets a real certificate; `failDns` makes its DNS answer SERVFAIL for
// one name, so the CA refuses that one as it would a domain whose DNS is broken.
// Nothing is mocked. `npm run build` first.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, test } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import type { Pebble } from "../fixtures/pebble.js";
import { httpsGet } from "../helpers/net.js";
import { expectOk, startTlsTestServer, type TlsTestServer } from "./tls-server.js";

const helloBody = "Hello from Deploy Platform\n";

interface AddResult {
	changed: boolean;
	url: string;
	certificate: { state: string; issuer: string | null; message?: string };
}

describe("domains add waits for the certificate and says what is true (Caddy + Pebble)", () => {
	let server: TlsTestServer;
	let pebble: Pebble;
	let httpPort: number;
	let httpsPort: number;
	const cli = (args: string[]) => server.cli(args);
	const ok = expectOk;

	beforeAll(async () => {
		server = await startTlsTestServer("deploy-cert-", "express");
		({ pebble, httpPort, httpsPort } = server);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("a name the CA can validate: it waits, prints the certificate issued and the https:// URL, and only then HTTP redirects", async () => {
		const run = await cli(["domains", "add", "shop.example.test", "--no-dns-check"]);
		ok(run);
		assert.match(run.stdout, new RegExp(`express answers on https://shop\\.example\\.test:${httpsPort}`));
		assert.match(run.stdout, /certificate issued for shop\.example\.test by Pebble Intermediate CA/);
		assert.match(run.stderr, /✓ certificate issued by Pebble Intermediate CA/);
		assert.deepEqual(await httpHead("shop.example.test"), { status: 308, location: `https://shop.example.test:${httpsPort}/` });
		const root = await pebble.issuerRoot();
		const secure = await httpsGet({ host: "127.0.0.1", port: httpsPort, servername: "shop.example.test", headers: { host: `shop.example.test:${httpsPort}` }, agent: false }, root);
		assert.deepEqual(secure, { status: 200, body: helloBody });
	});

	test("a name the CA refuses: exit 1 naming the ACME error, and HTTP serves the host (no redirect to an HTTPS without a certificate)", async () => {
		await pebble.failDns("broken.example.test");
		const run = await cli(["domains", "add", "broken.example.test", "--no-dns-check", "--json"]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const error = (run.last as { error: { code: string; message: string; hint: string } }).error;
		assert.equal(error.code, "CERTIFICATE_FAILED", JSON.stringify(error));
		assert.match(error.message, /the certificate for broken\.example\.test was not issued: .*urn:ietf:params:acme:error/);
		assert.match(error.message, new RegExp(`answers on http://broken\\.example\\.test:${httpPort} \\(route live\\)`));
		assert.match(error.hint, /ports 80 and 443/);
		const failedStep = run.lines.find((line) => line.type === "step" && line.step === "certificate" && line.status === "failed");
		assert.ok(failedStep, run.stdout);
		assert.deepEqual(await httpHead("broken.example.test"), { status: 200, location: undefined });
		const ls = await cli(["domains", "ls", "--json", "--no-dns-check"]);
		const row = (ls.last as { domains: { domain: string; certificate: { state: string } }[] }).domains.find((d) => d.domain === "broken.example.test");
		assert.equal(row?.certificate.state, "failed");
	});

	test("--no-wait returns at once saying pending; the agent adds the redirect by itself once the certificate arrives", async () => {
		const run = await cli(["domains", "add", "later.example.test", "--no-dns-check", "--no-wait", "--json"]);
		ok(run);
		const result = run.last as unknown as AddResult;
		assert.equal(result.certificate.state, "pending");
		assert.equal(result.url, `http://later.example.test:${httpPort}`);
		assert.ok(!run.lines.some((line) => line.type === "step" && line.step === "certificate"), "no wait happened");
		const human = await cli(["domains", "add", "later.example.test", "--no-dns-check", "--no-wait"]);
		ok(human);
		assert.match(human.stdout, /later\.example\.test is express's already/);
		// No command reads the certificates from here on: the agent's own look renders the redirect.
		const deadline = Date.now() + 60_000;
		let answer = await httpHead("later.example.test");
		while (answer.status !== 308 && Date.now() < deadline) {
			await sleep(500);
			answer = await httpHead("later.example.test");
		}
		assert.deepEqual(answer, { status: 308, location: `https://later.example.test:${httpsPort}/` });
	});

	test("a bad --wait changes nothing and says how to write it (exit 2)", async () => {
		const run = await cli(["domains", "add", "other.example.test", "--wait", "soon", "--json"]);
		assert.equal(run.code, 2, run.stdout);
		const error = (run.last as { error: { code: string; hint: string } }).error;
		assert.equal(error.code, "BAD_ARGUMENT");
		assert.match(error.hint, /--wait 90s/);
		const ls = await cli(["domains", "ls", "--json", "--no-dns-check"]);
		assert.ok(!(ls.last as { domains: { domain: string }[] }).domains.some((d) => d.domain === "other.example.test"));
	});

	/** GET with the host's name, without following a redirect: the status and Location a browser would get first. */
	function httpHead(host: string): Promise<{ status: number; location: string | undefined }> {
		return new Promise((resolve, reject) => {
			const req = httpRequest({ host: "127.0.0.1", port: httpPort, path: "/", headers: { host: `${host}:${httpPort}` }, agent: false }, (res) => {
				res.resume();
				res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
			});
			req.on("error", reject);
			req.end();
		});
	}
});
