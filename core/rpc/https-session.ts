// Issue 17, item 5: an agent session over the server's HTTPS API instead of SSH, for CI
// with only DEPLOY_TOKEN. The deploy pipeline keeps speaking the RPC (core/rpc/client.ts):
// each call becomes `POST /api/v1/<method>` with the key, and the NDJSON answer (events,
// then the result) comes back as the RPC's lines. A cancel aborts the request, which
// the agent sees as a closed connection. A call with a binary part (objects.write: one
// chunk of a large file, at most CHUNK_BYTES) becomes `POST /api/v1/objects.write?<params>`
// with the chunk as an application/octet-stream body; the agent keeps the unfinished file
// across requests (agents/objects/uploads-across-requests.ts), so the client holds only
// the chunks in flight, as over SSH.
import { Resolver } from "node:dns/promises";
import { request } from "node:https";
import type { LookupFunction } from "node:net";
import { PassThrough, Writable } from "node:stream";
import type { AgentSession } from "../provider.js";
import type { ErrorInfo } from "../protocol/errors.js";
import { RpcClient } from "./client.js";

export interface HttpsTarget {
	/** The API's origin, e.g. https://deploy.example.com. */
	url: URL;
	/** An API key, `dp_…`: sent only as the Authorization header, never logged. */
	token: string;
}

export function openHttpsSession(target: HttpsTarget): AgentSession {
	const inbound = new PassThrough();
	const inFlight = new Map<number, AbortController>();
	let sent = 0;
	/** A call whose binary part is still coming: it follows its line as separate writes. */
	let pending: { message: Outgoing; pieces: Buffer[]; left: number } | null = null;
	const reply = (message: object) => inbound.write(`${JSON.stringify(message)}\n`);
	const outbound = new Writable({
		write(chunk: Buffer, _encoding, done) {
			if (pending) {
				const part = chunk.subarray(0, pending.left);
				// The client's own buffer (upload-large.ts hands each chunk one): kept, not copied.
				pending.pieces.push(part);
				pending.left -= part.length;
				if (pending.left === 0) {
					const { message, pieces } = pending;
					pending = null;
					send(message, pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces));
				}
				return done();
			}
			for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) handle(JSON.parse(line) as Outgoing);
			done();
		},
	});

	function handle(message: Outgoing): void {
		if (message.cancel) {
			inFlight.get(message.id)?.abort();
			return;
		}
		if (message.bytes) {
			pending = { message, pieces: [], left: message.bytes };
			return;
		}
		send(message, null);
	}

	/** One call as one request: its params as the JSON body, or (with a binary part) in the query with the bytes as the body. */
	function send(message: Outgoing, binaryPart: Buffer | null): void {
		const controller = new AbortController();
		inFlight.set(message.id, controller);
		const body = binaryPart ? { bytes: binaryPart, type: "application/octet-stream", query: queryOf(message.params) } : { bytes: Buffer.from(JSON.stringify(message.params ?? {})), type: "application/json", query: "" };
		sent += body.bytes.length;
		post(target, `${String(message.method)}${body.query}`, body.bytes, body.type, controller.signal, (line) => reply({ id: message.id, ...line }))
			.catch((error: Error) => reply({ id: message.id, error: unreachable(target.url, error, controller.signal.aborted) }))
			.finally(() => inFlight.delete(message.id));
	}

	const rpc = new RpcClient(inbound, outbound);
	return {
		rpc,
		bytesSent: () => sent,
		close: async () => {
			for (const controller of inFlight.values()) controller.abort();
			inbound.end();
		},
	};
}

interface Outgoing {
	id: number;
	method?: string;
	params?: unknown;
	cancel?: boolean;
	bytes?: number;
}

/** One call: its answer's lines (`{event}`…, then `{result}` or `{error}`) handed on as they come. */
function post(target: HttpsTarget, method: string, body: Buffer, type: string, signal: AbortSignal, onLine: (line: object) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const url = new URL(`/api/v1/${method}`, target.url);
		const headers = { authorization: `Bearer ${target.token}`, "content-type": type, "content-length": String(body.length) };
		const req = request(url, { method: "POST", headers, signal, lookup: customLookup() }, (response) => {
			let buffered = "";
			let ended = false;
			response.setEncoding("utf8");
			response.on("data", (text: string) => {
				buffered += text;
				const lines = buffered.split("\n");
				buffered = lines.pop() ?? "";
				for (const line of lines) if (line.trim()) ended = take(line, onLine) || ended;
			});
			response.on("end", () => {
				if (buffered.trim()) ended = take(buffered, onLine) || ended;
				if (!ended) onLine({ error: { code: "API_PROTOCOL", message: `${url.host} answered ${response.statusCode} without a result.`, hint: "Is this the URL `deploy servers api status` prints?" } });
				resolve();
			});
			response.on("error", reject);
		});
		req.on("error", reject);
		req.end(body);
	});
}

/** A binary call's params as a query (`?id=…&size=…&offset=…&deflated=…`): scalars only, as objects.write's are. */
function queryOf(params: unknown): string {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) if (value !== undefined) query.set(name, String(value));
	return `?${query}`;
}

/** Hands on one line; true when it was the last (a result or an error). */
function take(line: string, onLine: (line: object) => void): boolean {
	let parsed: { event?: unknown; result?: unknown; error?: ErrorInfo };
	try {
		parsed = JSON.parse(line);
	} catch {
		onLine({ error: { code: "API_PROTOCOL", message: `The API answered something that is not JSON: ${line.slice(0, 120)}` } });
		return true;
	}
	if ("event" in parsed) {
		onLine({ event: parsed.event });
		return false;
	}
	if ("result" in parsed) onLine({ result: parsed.result });
	else if (parsed.error) onLine({ error: parsed.error });
	else return false;
	return true;
}

function unreachable(url: URL, error: Error, cancelled: boolean): ErrorInfo {
	if (cancelled) return { code: "CANCELLED", message: "The call was cancelled." };
	return { code: "API_UNREACHABLE", message: `Cannot reach ${url.origin}: ${error.message}`, hint: "Check the URL (`deploy servers api status <server>` prints it) and that its certificate is trusted here." };
}

/** DEPLOY_DNS_SERVERS (as the domain checks use it): resolve the API's host with those servers instead of the system's. */
function customLookup(): LookupFunction | undefined {
	const servers = process.env.DEPLOY_DNS_SERVERS?.split(",").map((s) => s.trim()).filter(Boolean);
	if (!servers?.length) return undefined;
	const resolver = new Resolver();
	resolver.setServers(servers);
	return (hostname, options, callback) => {
		resolver.resolve4(hostname).then(
			(addresses) => (options.all ? callback(null, addresses.map((address) => ({ address, family: 4 }))) : callback(null, addresses[0]!, 4)),
			(error: NodeJS.ErrnoException) => callback(error, "", 4),
		);
	};
}
