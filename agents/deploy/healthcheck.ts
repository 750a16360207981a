import { request } from "node:http";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export interface Probe {
	ok: boolean;
	/** What the last attempt saw: `HTTP 502`, `ECONNREFUSED`... */
	detail: string;
}

/** One HTTP GET: healthy on 2xx and 3xx. */
export function probeHttp(port: number, path: string, timeoutMs = 2_000): Promise<Probe> {
	return new Promise((resolve) => {
		const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: timeoutMs, headers: { "user-agent": "deploy-agent-healthcheck" } }, (res) => {
			res.resume();
			const status = res.statusCode ?? 0;
			resolve({ ok: status >= 200 && status < 400, detail: `GET ${path} answered HTTP ${status}` });
		});
		req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
		req.on("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: `GET ${path}: ${error.code ?? error.message}` }));
		req.end();
	});
}

/** A TCP connect: enough to know something listens. */
export function probeTcp(port: number, timeoutMs = 2_000): Promise<Probe> {
	return new Promise((resolve) => {
		const socket = connect({ host: "127.0.0.1", port, timeout: timeoutMs });
		socket.on("connect", () => {
			socket.destroy();
			resolve({ ok: true, detail: `port ${port} accepts connections` });
		});
		socket.on("timeout", () => socket.destroy(new Error("connect timed out")));
		socket.on("error", (error: NodeJS.ErrnoException) => resolve({ ok: false, detail: `port ${port}: ${error.code ?? error.message}` }));
	});
}

export interface WaitHealthyOptions {
	port: number;
	path?: string | undefined;
	timeoutSeconds: number;
	signal: AbortSignal;
	/** How the process ended if it did: a crash fails the check at once. */
	exited: () => string | null;
}

export type HealthResult = { ok: true } | { ok: false; crashed: boolean; detail: string };

/** Probes every 250 ms until healthy, the process dies, or the time is up. */
export async function waitHealthy(options: WaitHealthyOptions): Promise<HealthResult> {
	const deadline = Date.now() + options.timeoutSeconds * 1000;
	let last = "no attempt yet";
	for (;;) {
		if (options.signal.aborted) throw options.signal.reason;
		const exit = options.exited();
		if (exit) return { ok: false, crashed: true, detail: exit };
		const probe = options.path ? await probeHttp(options.port, options.path) : await probeTcp(options.port);
		if (probe.ok) return { ok: true };
		last = probe.detail;
		const exitAfter = options.exited();
		if (exitAfter) return { ok: false, crashed: true, detail: exitAfter };
		if (Date.now() >= deadline) return { ok: false, crashed: false, detail: last };
		await sleep(250);
	}
}
