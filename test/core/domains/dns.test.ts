// Issue 6: the DNS check of `deploy domains add|ls` against a real DNS server on
// 127.0.0.1 (pebble-challtestsrv's mock DNS, see test/fixtures/mock-dns.ts).
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { afterAll, beforeAll, describe, test } from "vitest";
import { checkDns } from "../../../core/domains/dns.js";
import { type MockDns, startMockDns } from "../../fixtures/mock-dns.js";

describe("checkDns", () => {
	let dns: MockDns;
	const server = "203.0.113.7";

	beforeAll(async () => {
		dns = await startMockDns();
		await dns.addA("ok.example.test", [server]);
		await dns.addA("else.example.test", ["198.51.100.1"]);
		await dns.setCname("alias.example.test", "else.example.test");
	});
	afterAll(() => dns?.stop());

	test("a name that resolves to the server is ok, with nothing to create", async () => {
		const check = await checkDns("ok.example.test", server, { servers: [dns.server] });
		assert.equal(check.state, "ok");
		assert.deepEqual(check.addresses, [server]);
		assert.equal(check.record, null);
	});

	test("a name without records says which A record to create", async () => {
		const check = await checkDns("new.example.test", server, { servers: [dns.server] });
		assert.equal(check.state, "missing");
		assert.deepEqual(check.record, { type: "A", name: "new.example.test", value: server });
		assert.equal(check.message, `new.example.test does not resolve yet: create an A record new.example.test → ${server} at your DNS provider.`);
	});

	test("a name that points elsewhere (directly or through a CNAME) says so and what to change", async () => {
		const direct = await checkDns("else.example.test", server, { servers: [dns.server] });
		assert.equal(direct.state, "elsewhere");
		assert.deepEqual(direct.addresses, ["198.51.100.1"]);
		assert.match(direct.message, /resolves to 198\.51\.100\.1, not to this server: make it an A record else\.example\.test → 203\.0\.113\.7/);
		const alias = await checkDns("alias.example.test", server, { servers: [dns.server] });
		assert.equal(alias.state, "elsewhere");
		assert.equal(alias.cname, "else.example.test");
		assert.match(alias.message, /through CNAME else\.example\.test/);
	});

	test("an IPv6 server asks for an AAAA record", async () => {
		const check = await checkDns("new.example.test", "2001:db8::7", { servers: [dns.server] });
		assert.deepEqual(check.record, { type: "AAAA", name: "new.example.test", value: "2001:db8::7" });
	});

	test("a resolver that never answers gives `unknown` within the timeout, not an error", async () => {
		// A UDP socket that reads queries and never replies.
		const silent = createSocket("udp4");
		await new Promise<void>((resolve) => silent.bind(0, "127.0.0.1", resolve));
		try {
			const check = await checkDns("ok.example.test", server, { servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 200 });
			assert.equal(check.state, "unknown");
			assert.match(check.message, /DNS did not answer/);
		} finally {
			silent.close();
		}
	});
});
