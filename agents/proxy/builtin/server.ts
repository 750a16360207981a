import { createServer, type IncomingHttpHeaders, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { hostOf, RoundRobin, type RouteTable, type Upstream } from "./route-table.js";
import { answerRedirect, ruleOutcome, withRuleHeaders } from "./rules.js";

// Headers that describe one hop, not the request: never forwarded (RFC 9110 §7.6.1).
const hopByHop = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"];

/**
 * The builtin reverse proxy: a node:http server inside the agent that routes by Host
 * header. `table()` is read per request, so swapping the table is the atomic update.
 */
export function createBuiltinServer(table: () => RouteTable): Server {
	const rotation = new RoundRobin();
	const resolve = (req: IncomingMessage): Upstream | undefined => {
		const entry = table().byHost.get(hostOf(req.headers.host));
		return entry && rotation.pick(entry.app, entry.upstreams);
	};

	const server = createServer((req, res) => {
		const upstream = resolve(req);
		if (!upstream) return reply(res, 404, `No app is deployed at ${hostOf(req.headers.host) || "this address"}.\n`);
		// Issue 6: redirects, rewrites and response headers (./rules.ts).
		const ruled = ruleOutcome(table().byHost.get(hostOf(req.headers.host))?.rules, req);
		if (ruled && "redirect" in ruled) return answerRedirect(res, ruled);
		const forward = request(
			{ host: upstream.host, port: upstream.port, method: req.method, path: ruled?.url ?? req.url, headers: forwardHeaders(req, false) },
			(upstreamRes) => {
				res.writeHead(upstreamRes.statusCode ?? 502, withRuleHeaders(stripHopByHop(upstreamRes.headers), ruled?.headers));
				upstreamRes.pipe(res);
			},
		);
		forward.on("error", () => {
			if (!res.headersSent) reply(res, 502, "The app did not answer.\n");
			else res.destroy();
		});
		req.on("aborted", () => forward.destroy());
		req.pipe(forward);
	});

	// WebSockets and other upgrades: forward the handshake, then splice the two sockets.
	server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
		socket.on("error", () => socket.destroy());
		const upstream = resolve(req);
		if (!upstream) return rawReply(socket, 404, "No app is deployed at this address.\n");
		const forward = request({ host: upstream.host, port: upstream.port, method: req.method, path: req.url, headers: forwardHeaders(req, true) });
		forward.on("upgrade", (upstreamRes, upstreamSocket, upstreamHead) => {
			upstreamSocket.on("error", () => socket.destroy());
			socket.on("close", () => upstreamSocket.destroy());
			upstreamSocket.on("close", () => socket.destroy());
			socket.write(statusLine(upstreamRes) + rawHeaderLines(upstreamRes.rawHeaders));
			if (upstreamHead.length) socket.write(upstreamHead);
			if (head.length) upstreamSocket.write(head);
			upstreamSocket.pipe(socket).pipe(upstreamSocket);
		});
		// The app refused the upgrade with a plain response: pass that on and close.
		forward.on("response", (upstreamRes) => {
			// The body arrives decoded, so framing headers are dropped and the close ends it.
			const framing = ["transfer-encoding", "content-length", "connection", "keep-alive"];
			const kept = upstreamRes.rawHeaders.filter((_, i, raw) => i % 2 === 0 ? !framing.includes(raw[i]!.toLowerCase()) : !framing.includes(raw[i - 1]!.toLowerCase()));
			socket.write(statusLine(upstreamRes) + rawHeaderLines([...kept, "connection", "close"]));
			upstreamRes.pipe(socket);
		});
		forward.on("error", () => rawReply(socket, 502, "The app did not answer.\n"));
		forward.end();
	});
	return server;
}

function forwardHeaders(req: IncomingMessage, upgrade: boolean): IncomingHttpHeaders {
	const headers = upgrade ? { ...req.headers } : stripHopByHop(req.headers);
	const client = req.socket.remoteAddress ?? "";
	const prior = req.headers["x-forwarded-for"];
	headers["x-forwarded-for"] = prior ? `${prior}, ${client}` : client;
	headers["x-forwarded-host"] = req.headers.host ?? "";
	headers["x-forwarded-proto"] = "http";
	return headers;
}

function stripHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
	const copy = { ...headers };
	const listed = String(headers.connection ?? "")
		.split(",")
		.map((name) => name.trim().toLowerCase());
	for (const name of [...hopByHop, ...listed]) if (name) delete copy[name];
	return copy;
}

function reply(res: ServerResponse, status: number, text: string): void {
	res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" });
	res.end(text);
}

function rawReply(socket: Duplex, status: number, text: string): void {
	const reason = status === 404 ? "Not Found" : "Bad Gateway";
	socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

function statusLine(res: IncomingMessage): string {
	return `HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ""}\r\n`;
}

function rawHeaderLines(raw: string[]): string {
	let lines = "";
	for (let i = 0; i + 1 < raw.length; i += 2) lines += `${raw[i]}: ${raw[i + 1]}\r\n`;
	return `${lines}\r\n`;
}
