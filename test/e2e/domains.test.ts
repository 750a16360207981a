// Issue 6, custom domains, through the built CLI against a real sshd, the agent and
// Caddy: `deploy domains add|ls|rm` and deploy.yaml's domains. No name resolves to
// 127.0.0.1 here, so requests carry the domain in the Host header, and the DNS check
// answers "missing" (the warning path) for every domain.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { repoRoot } from "../helpers/cli.js";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

interface DomainRow {
	domain: string;
	unicode: string;
	source: "config" | "added";
	addedAt: string | null;
	dns: { state: string; record: { type: string; name: string; value: string } | null; message: string } | null;
	certificate: { host: string; issuer: string | null; notAfter: string | null; state: string };
}

const helloBody = /Hello/;

describe("custom domains through the CLI", () => {
	let server: TestServer;
	let otherDir: string;

	const answer = (host: string) => httpGet(server.httpPort, host);
	const domainsLs = async (dir?: string) => {
		const run = await server.cli(["domains", "ls", "--json"], dir);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		return (run.last as { domains: DomainRow[] }).domains;
	};
	const names = async (dir?: string) => (await domainsLs(dir)).map((d) => d.domain).sort();
	const pids = async () => {
		const ps = await server.cli(["ps", "--json"]);
		assert.equal(ps.code, 0, ps.stderr);
		// The live release's instances: a previous release's stay in `ps` as `draining` for a moment after a switch.
		return (JSON.parse(ps.stdout) as { pid: number | null; status: string }[])
			.filter((i) => i.status === "running")
			.map((i) => i.pid)
			.sort();
	};
	const liveId = async () => {
		const ls = await server.cli(["ls", "--json"]);
		return (JSON.parse(ls.stdout) as { id: string; status: string }[]).find((d) => d.status === "live")?.id;
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		await writeFile(join(server.appDir, "deploy.yaml"), "app: hello\ndomains:\n  - Yaml.Example.Test\n");
		const first = await server.cli(["--json"]);
		assert.equal(first.code, 0, first.stderr + first.stdout);
		otherDir = await mkdtemp(join(tmpdir(), "deploy-e2e-other-"));
		await cp(join(repoRoot, "examples", "hello"), otherDir, { recursive: true });
		await writeFile(join(otherDir, "deploy.yaml"), "app: other\n");
		const second = await server.cli(["--json"], otherDir);
		assert.equal(second.code, 0, second.stderr + second.stdout);
	});

	afterAll(async () => {
		await server?.stop();
		if (otherDir) await rm(otherDir, { recursive: true, force: true });
	});

	test("deploy.yaml's domains deploy with the app, in lowercase, and domains ls says where they come from", async () => {
		assert.match((await answer("yaml.example.test")).body, helloBody);
		const rows = await domainsLs();
		assert.deepEqual(
			rows.map((r) => [r.domain, r.source]),
			[["yaml.example.test", "config"]],
		);
	});

	test("bad names are refused with the reason, exit 2, and nothing changes", async () => {
		// Every rule is covered in test/core/protocol/domains.test.ts; these go through the CLI and the api.
		const cases: [string, RegExp][] = [
			["has space.example.test", /must not contain spaces/],
			["-lead.example.test", /starts or ends with a hyphen \(-lead\)/],
			["under_score.example.test", /underscores/],
			[`${"a".repeat(64)}.example.test`, /label of 64 characters.*at most 63/],
			[`${"abcdefghij.".repeat(25)}test`, /is 279 characters long; at most 253/],
			["*.example.test", /wildcards.*DNS-01/],
		];
		for (const [domain, reason] of cases) {
			// `--`: a name starting with a hyphen would otherwise read as an option.
			const run = await server.cli(["domains", "add", "--json", "--", domain]);
			assert.equal(run.code, 2, `${domain}: ${run.stdout}${run.stderr}`);
			const error = (run.last as { error: { code: string; message: string } }).error;
			assert.equal(error.code, "BAD_ARGUMENT", domain);
			assert.match(error.message, reason, domain);
		}
		const human = await server.cli(["domains", "add", "under_score.example.test"]);
		assert.equal(human.code, 2);
		assert.match(human.stderr, /"under_score.example.test" is not a valid domain: must not contain underscores/);
		assert.deepEqual(await names(), ["yaml.example.test"]);
	});

	test("domains add routes the live app at once: no redeploy, no restart; DNS not pointing here is a warning", async () => {
		const [pidsBefore, idBefore] = [await pids(), await liveId()];
		assert.equal((await answer("app.example.test")).status, 404);
		const run = await server.cli(["domains", "add", "app.example.test", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const result = run.last as { changed: boolean; source: string; domain: string; dns: DomainRow["dns"] };
		assert.equal(result.changed, true);
		assert.equal(result.source, "added");
		assert.equal(result.dns?.state, "missing");
		assert.deepEqual(result.dns?.record, { type: "A", name: "app.example.test", value: "127.0.0.1" });
		assert.equal(run.stderr, "", "--json keeps the DNS warning in the result, not on stderr");
		assert.match((await answer("app.example.test")).body, helloBody);
		assert.deepEqual(await pids(), pidsBefore, "the same processes serve");
		assert.equal(await liveId(), idBefore, "no deployment was made");

		const human = await server.cli(["domains", "add", "www.example.test"]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stderr, /warning www\.example\.test does not resolve yet: create an A record www\.example\.test → 127\.0\.0\.1/);
		assert.match(human.stdout, new RegExp(`hello answers on http://www\\.example\\.test:${server.httpPort}`));
		assert.match(human.stdout, /no certificate: this server serves plain HTTP/);
		const again = await server.cli(["domains", "add", "WWW.example.test.", "--json"]);
		assert.equal(again.code, 0, again.stderr);
		assert.equal((again.last as { changed: boolean }).changed, false, "the same name, in another case and with a trailing dot, is already there");
	});

	test("an international name is stored and routed in punycode and shown in both forms", async () => {
		const run = await server.cli(["domains", "add", "bücher.example.test", "--json", "--no-dns-check"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const result = run.last as { domain: string; unicode: string; dns: unknown };
		assert.equal(result.domain, "xn--bcher-kva.example.test");
		assert.equal(result.unicode, "bücher.example.test");
		assert.equal(result.dns, null);
		assert.match((await answer("xn--bcher-kva.example.test")).body, helloBody);
		const human = await server.cli(["domains", "ls", "--no-dns-check"]);
		assert.match(human.stdout, /bücher\.example\.test \(xn--bcher-kva\.example\.test\)\s+added/);
	});

	test("a host another app answers on is refused (HOST_IN_USE) and nothing changes", async () => {
		for (const taken of ["app.example.test", "yaml.example.test", "hello.127.0.0.1.sslip.io"]) {
			const run = await server.cli(["domains", "add", taken, "--json"], otherDir);
			assert.equal(run.code, 1, `${taken}: ${run.stdout}`);
			const error = (run.last as { error: { code: string; message: string; hint: string } }).error;
			assert.equal(error.code, "HOST_IN_USE", taken);
			assert.match(error.message, new RegExp(`${taken.replaceAll(".", "\\.")} already routes to the app hello`));
		}
		assert.deepEqual(await names(otherDir), []);
		assert.match((await answer("app.example.test")).body, helloBody, "still hello's");
	});

	test("domains ls --json: each domain's source, DNS state and certificate as the proxy holds it", async () => {
		const rows = await domainsLs();
		assert.deepEqual(
			rows.map((r) => [r.domain, r.source]),
			[
				["yaml.example.test", "config"],
				["app.example.test", "added"],
				["www.example.test", "added"],
				["xn--bcher-kva.example.test", "added"],
			],
		);
		for (const row of rows) {
			assert.equal(row.dns?.state, "missing", row.domain);
			assert.equal(row.certificate.host, row.domain);
			assert.ok(["valid", "pending", "expired", "failed", "none"].includes(row.certificate.state));
			assert.equal(row.source === "added", row.addedAt !== null);
		}
		const human = await server.cli(["domains", "ls"]);
		assert.match(human.stdout, /^DOMAIN\s+SOURCE\s+DNS\s+CERTIFICATE/);
		assert.match(human.stdout, /yaml\.example\.test\s+deploy\.yaml\s+missing: needs A → 127\.0\.0\.1/);
	});

	test("added domains survive a redeploy and an agent restart", async () => {
		const yaml = await readFile(join(server.appDir, "deploy.yaml"), "utf8");
		await writeFile(join(server.appDir, "deploy.yaml"), `${yaml}env:\n  REDEPLOY: "1"\n`);
		const idBefore = await liveId();
		const redeploy = await server.cli(["--json"]);
		assert.equal(redeploy.code, 0, redeploy.stderr + redeploy.stdout);
		assert.notEqual(await liveId(), idBefore, "a new release went live");
		assert.match((await answer("app.example.test")).body, helloBody);

		const pid = Number(await readFile(join(server.sshd.agentHome, "agent.pid"), "utf8"));
		process.kill(pid, "SIGKILL");
		// The next command starts a new daemon; domains ls answers after its routes are reconciled.
		assert.ok((await names()).includes("app.example.test"));
		assert.notEqual(Number(await readFile(join(server.sshd.agentHome, "agent.pid"), "utf8")), pid);
		assert.match((await answer("app.example.test")).body, helloBody);
		assert.match((await answer("xn--bcher-kva.example.test")).body, helloBody);
	});

	test("domains rm: deploy.yaml's domains are refused with a hint; an added one stops answering (404)", async () => {
		const yamlRm = await server.cli(["domains", "rm", "yaml.example.test", "--json"]);
		assert.equal(yamlRm.code, 1);
		const error = (yamlRm.last as { error: { code: string; hint: string } }).error;
		assert.equal(error.code, "DOMAIN_IN_CONFIG");
		assert.match(error.hint, /deploy\.yaml/);
		assert.match((await answer("yaml.example.test")).body, helloBody);

		const unknown = await server.cli(["domains", "rm", "nope.example.test", "--json"]);
		assert.equal((unknown.last as { error: { code: string } }).error.code, "DOMAIN_UNKNOWN");

		const run = await server.cli(["domains", "rm", "app.example.test", "--json"]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal((await answer("app.example.test")).status, 404);
		assert.match((await answer("www.example.test")).body, helloBody, "the other domains keep answering");
		assert.ok(!(await names()).includes("app.example.test"));

		// Free now: the other app may take it.
		const taken = await server.cli(["domains", "add", "app.example.test", "--json", "--no-dns-check"], otherDir);
		assert.equal(taken.code, 0, taken.stderr + taken.stdout);
		assert.equal((await answer("app.example.test")).status, 200);
	});

	test("a bad domain in deploy.yaml fails the deploy before anything reaches the server", async () => {
		const yaml = await readFile(join(otherDir, "deploy.yaml"), "utf8");
		await writeFile(join(otherDir, "deploy.yaml"), "app: other\ndomains:\n  - bad_name.example.test\n");
		const idBefore = (JSON.parse((await server.cli(["ls", "--json"], otherDir)).stdout) as { id: string }[]).length;
		const run = await server.cli(["--json"], otherDir);
		assert.equal(run.code, 2, run.stdout);
		const error = (run.last as { error: { code: string; message: string; details?: string[] } }).error;
		assert.equal(error.code, "CONFIG_INVALID");
		assert.match(JSON.stringify(error), /domains.*underscores/);
		assert.equal((JSON.parse((await server.cli(["ls", "--json"], otherDir)).stdout) as unknown[]).length, idBefore);
		await writeFile(join(otherDir, "deploy.yaml"), yaml);
	});
});
