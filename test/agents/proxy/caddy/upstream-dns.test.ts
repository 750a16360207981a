// Issue 13, item 4: the resolver Caddy asks for each app's instances. Its answers are
// a pure function of the table and the query (checked by decoding them); the process
// itself is checked by Node's own resolver, over UDP, then after the table is replaced.
import assert from "node:assert/strict";
import { Resolver } from "node:dns/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import packet from "dns-packet";
import { answerQuery } from "../../../../agents/proxy/caddy/upstream-dns/answer.js";
import { UpstreamResolver } from "../../../../agents/proxy/caddy/upstream-dns/process.js";
import { upstreamDnsPaths } from "../../../../agents/proxy/caddy/upstream-dns/names.js";
import { writeUpstreamTable } from "../../../../agents/proxy/caddy/upstream-dns/table.js";
import { tempDir } from "../../../helpers/proxy.js";

const ask = (name: string, type: "SRV" | "A" | "AAAA" | "TXT") => packet.encode({ type: "query", id: 7, flags: packet.RECURSION_DESIRED, questions: [{ type, name }] });
/** The reply's response code, from the low four bits of its flags. */
const rcode = (reply: packet.DecodedPacket) => (["NOERROR", "FORMERR", "SERVFAIL"] as const)[(reply.flags ?? 0) & 0x0f] ?? "OTHER";
const table = { shop: [{ host: "127.0.0.1", port: 41001 }, { host: "::1", port: 41002 }], idle: [] };

describe("upstream resolver: answers", () => {
	test("SRV for an app: one record per instance, each naming a loopback target; TTL 0", () => {
		const reply = packet.decode(answerQuery(table, ask("shop.upstreams.deploy.internal", "SRV"))!);
		assert.equal(reply.id, 7);
		assert.equal(rcode(reply), "NOERROR");
		assert.deepEqual(
			reply.answers?.map((a) => (a.type === "SRV" ? { ttl: a.ttl, port: a.data.port, target: a.data.target } : a.type)),
			[
				{ ttl: 0, port: 41001, target: "ipv4.loopback.deploy.internal" },
				{ ttl: 0, port: 41002, target: "ipv6.loopback.deploy.internal" },
			],
		);
	});

	test("the targets resolve to loopback, A for IPv4 and AAAA for IPv6", () => {
		const a = packet.decode(answerQuery(table, ask("ipv4.loopback.deploy.internal", "A"))!);
		assert.deepEqual(a.answers?.map((r) => ("data" in r ? r.data : null)), ["127.0.0.1"]);
		const aaaa = packet.decode(answerQuery(table, ask("IPv6.Loopback.deploy.internal", "AAAA"))!);
		assert.deepEqual(aaaa.answers?.map((r) => ("data" in r ? r.data : null)), ["::1"]);
	});

	test("an unknown app, an app with no instance, another name: SERVFAIL, so Caddy keeps its static upstreams", () => {
		for (const [name, type] of [["nope.upstreams.deploy.internal", "SRV"], ["idle.upstreams.deploy.internal", "SRV"], ["example.com", "A"], ["__proto__.upstreams.deploy.internal", "SRV"]] as const) {
			const reply = packet.decode(answerQuery(table, ask(name, type))!);
			assert.equal(rcode(reply), "SERVFAIL", name);
			assert.deepEqual(reply.answers, [], name);
		}
	});

	test("what is not a query gets no answer", () => {
		assert.equal(answerQuery(table, Buffer.from("not dns")), null);
		assert.equal(answerQuery(table, packet.encode({ type: "response", id: 1, questions: [{ type: "A", name: "x" }] })), null);
	});
});

describe("upstream resolver: the process", () => {
	let dir: Awaited<ReturnType<typeof tempDir>>;
	let resolver: UpstreamResolver;
	let port: number;

	beforeAll(async () => {
		dir = await tempDir("upstream-dns-");
		resolver = new UpstreamResolver(join(dir.path, "proxy"), false);
	});
	afterAll(async () => {
		await resolver.stop();
		await dir.remove();
	});

	test("started on a port it keeps; serves the table, and a replaced table at once", async () => {
		const { mkdir } = await import("node:fs/promises");
		await mkdir(join(dir.path, "proxy"), { recursive: true });
		const paths = upstreamDnsPaths(join(dir.path, "proxy"));
		await writeUpstreamTable(paths.table, { shop: [{ host: "127.0.0.1", port: 41001 }] });
		port = await resolver.ensureRunning();
		assert.equal(await resolver.ensureRunning(), port, "a second call finds it running on the same port");
		const dns = new Resolver({ timeout: 1000, tries: 1 });
		dns.setServers([`127.0.0.1:${port}`]);
		assert.deepEqual(await dns.resolveSrv("shop.upstreams.deploy.internal"), [{ name: "ipv4.loopback.deploy.internal", port: 41001, priority: 10, weight: 10 }]);
		await writeUpstreamTable(paths.table, { shop: [{ host: "127.0.0.1", port: 41003 }] });
		assert.deepEqual((await dns.resolveSrv("shop.upstreams.deploy.internal")).map((r) => r.port), [41003]);
	});

	test("stopped and started again: the same port, so Caddy's running config still points at it", async () => {
		await resolver.stop();
		assert.equal(await resolver.ensureRunning(), port);
	});
});
