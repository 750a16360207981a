import { request } from "node:http";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { PORT_CHECK_EVERY_MS, WrongPortWatch } from "./wrong-port.js";

export interface Probe {
	ok: boolean;
	/** What the last attempt saw: `GET /up answered HTTP 503: not ready`, `ECONNREFUSED`... */
	detail: string;
}

const BODY_SHOWN = 200;

/** One HTTP GET: healthy on `expectedStatus`, or on any 2xx/3xx without one. The body's start is kept for the error. */
export function probeHttp(port: number, path: string, expectedStatus?: number, timeoutMs = 2_000): Promise<Probe> {
	return new Promise((resolve) => {
		const req = request({ host: "127.0.0.1", port, path, method: "GET", timeout: timeoutMs, headers: { "user-agent": "deploy-agent-healthcheck" } }, (res) => {
			const status = res.statusCode ?? 0;
			const ok = expectedStatus !== undefined ? status === expectedStatus : status >= 200 && status < 400;
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				if (body.length < BODY_SHOWN) body += chunk;
			});
			const done = () => {
				const text = body.slice(0, BODY_SHOWN).replace(/\s+/g, " ").trim();
				const wanted = expectedStatus !== undefined && !ok ? ` (expected ${expectedStatus})` : "";
				resolve({ ok, detail: `GET ${path} answered HTTP ${status}${wanted}${text ? `: ${text}` : ""}` });
			};
			res.on("end", done);
			res.on("error", done);
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
	expectedStatus?: number | undefined;
	timeoutSeconds: number;
	intervalMs: number;
	signal: AbortSignal;
	/** How the process ended if it did: a crash fails the check at once. */
	exited: () => string | null;
	/** The TCP ports the instance listens on now (issue 14): listening only elsewhere fails the check early. */
	listeningPorts?: (() => Promise<number[]>) | undefined;
}

export type HealthResult = { ok: true } | { ok: false; crashed: boolean; detail: string; listensOn?: number[] };

/**
 * Most apps listen within a second of starting: for that first second a probe every
 * 50 ms notices at once (a refused connection costs the app nothing), where waiting
 * `intervalMs` (250 ms by default) kept a ready app out of service for up to that long.
 */
export const EARLY_PROBE = { windowMs: 1_000, everyMs: 50 };

/**
 * Probes until healthy, the process dies, it listens only on other ports than `port`
 * (for WRONG_PORT_AFTER_MS), or the time is up: often in the first second
 * (EARLY_PROBE), every `intervalMs` after.
 */
export async function waitHealthy(options: WaitHealthyOptions): Promise<HealthResult> {
	const started = Date.now();
	const deadline = started + options.timeoutSeconds * 1000;
	let last = "no attempt yet";
	const watch = new WrongPortWatch(options.port);
	let portsCheckedAt = -Infinity;
	for (;;) {
		if (options.signal.aborted) throw options.signal.reason;
		const exit = options.exited();
		if (exit) return { ok: false, crashed: true, detail: exit };
		const probe = options.path ? await probeHttp(options.port, options.path, options.expectedStatus) : await probeTcp(options.port);
		if (probe.ok) return { ok: true };
		last = probe.detail;
		const exitAfter = options.exited();
		if (exitAfter) return { ok: false, crashed: true, detail: exitAfter };
		if (options.listeningPorts && Date.now() - portsCheckedAt >= PORT_CHECK_EVERY_MS) {
			portsCheckedAt = Date.now();
			const elsewhere = watch.observe(await options.listeningPorts(), portsCheckedAt);
			if (elsewhere) return { ok: false, crashed: false, detail: last, listensOn: elsewhere };
		}
		if (Date.now() >= deadline) return { ok: false, crashed: false, detail: last };
		await sleep(Date.now() - started < EARLY_PROBE.windowMs ? Math.min(options.intervalMs, EARLY_PROBE.everyMs) : options.intervalMs);
	}
}
