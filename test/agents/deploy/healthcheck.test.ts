// The health check's cadence: often in an instance's first second, `intervalMs` after.
// A real HTTP server on 127.0.0.1 counts the probes it gets.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "vitest";
import { EARLY_PROBE, waitHealthy } from "../../../agents/deploy/healthcheck.js";

async function flakyServer(readyAfterMs: number) {
	const probes: number[] = [];
	let first: number | null = null;
	const server = createServer((_request, response) => {
		const now = Date.now();
		first ??= now;
		probes.push(now - first);
		response.writeHead(now - first >= readyAfterMs ? 200 : 503).end();
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	return { port: (server.address() as AddressInfo).port, probes, close: () => new Promise((resolve) => server.close(resolve)) };
}

test("an instance that turns healthy within its first second is probed every 50 ms, not every intervalMs", async () => {
	const app = await flakyServer(450);
	try {
		const result = await waitHealthy({ port: app.port, path: "/", timeoutSeconds: 5, intervalMs: 250, signal: new AbortController().signal, exited: () => null });
		assert.deepEqual(result, { ok: true });
		// Every 250 ms, three probes reach 450 ms (0, 250, 500); every 50 ms, about ten.
		assert.ok(app.probes.length >= 5, `probes at ${app.probes.join(", ")} ms`);
	} finally {
		await app.close();
	}
});

test("after the first second the probes come every intervalMs", async () => {
	const app = await flakyServer(EARLY_PROBE.windowMs + 700);
	try {
		const result = await waitHealthy({ port: app.port, path: "/", timeoutSeconds: 5, intervalMs: 300, signal: new AbortController().signal, exited: () => null });
		assert.deepEqual(result, { ok: true });
		const late = app.probes.filter((at) => at > EARLY_PROBE.windowMs + 100);
		const gaps = late.slice(1).map((at, i) => at - late[i]!);
		assert.ok(gaps.length >= 1 && gaps.every((gap) => gap >= 280), `late gaps ${gaps.join(", ")} ms`);
	} finally {
		await app.close();
	}
});
