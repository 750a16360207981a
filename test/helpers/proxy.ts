import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A tiny app instance on 127.0.0.1 that answers every request with its own name. */
export interface Upstream {
	name: string;
	port: number;
	close(): Promise<void>;
}

export async function startUpstream(name: string): Promise<Upstream> {
	const server = createServer((_req, res) => {
		res.writeHead(200, { "content-type": "text/plain" });
		res.end(name);
	});
	const port = await listen(server, 0);
	return {
		name,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

export function listen(server: Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
	});
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
	const server = createServer();
	const port = await listen(server, 0);
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

/**
 * GET through the proxy with a given Host header, as a browser at that URL would send
 * it. node:http rather than fetch: fetch does not let a caller set Host. A fresh
 * connection each time, so round robin is observed per request.
 */
export function getVia(port: number, host: string, path = "/"): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path, headers: { host, connection: "close" }, agent: false }, (res) => {
			let body = "";
			res.setEncoding("utf8");
			res.on("data", (chunk: string) => {
				body += chunk;
			});
			res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
		});
		req.on("error", reject);
		req.end();
	});
}

/** The response headers of a GET through the proxy. */
export function headersVia(port: number, host: string, path = "/"): Promise<Record<string, string | string[] | undefined>> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path, headers: { host, connection: "close" }, agent: false }, (res) => {
			res.resume();
			res.on("end", () => resolve(res.headers));
		});
		req.on("error", reject);
		req.end();
	});
}

/**
 * Waits (at most `timeoutMs`) until a request through the proxy gets a body `accept`s.
 * Caddy can answer a connection from its previous config for a few milliseconds after
 * /load returns (the old server's accept loop overlaps the new one's); the agent covers
 * that with its settle time before draining (docs/operations.md), and a test that checks
 * the new route waits for it the same way instead of racing it.
 */
export async function waitServed(port: number, host: string, accept: (body: string) => boolean, timeoutMs = 3_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!accept((await getVia(port, host)).body)) {
		if (Date.now() > deadline) throw new Error(`${host} was not served by the new route within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** The set of bodies seen over `count` requests. */
export async function bodiesOver(port: number, host: string, count: number): Promise<Set<string>> {
	const seen = new Set<string>();
	for (let i = 0; i < count; i++) seen.add((await getVia(port, host)).body);
	return seen;
}

export async function tempDir(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
	const path = await mkdtemp(join(tmpdir(), prefix));
	return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Whether a process still runs, as `ps` would say: an exited child not yet reaped (a zombie) does not. */
export function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
	} catch {
		return true;
	}
}
