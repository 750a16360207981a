// The terminal over `deploy ui`: a WebSocket at /api/terminal. The same rules as the
// api: Host must be ours, a foreign Origin is refused, and the token is required. A
// browser cannot set headers on a WebSocket, so the token rides as a subprotocol
// (`token.<token>`), never in the URL (URLs end up in logs and history).
// Frames: the shell's bytes as binary both ways; control as JSON text (contract.ts).
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import { toErrorInfo } from "../protocol/index.js";
import { TERMINAL_PROTOCOL, type TerminalServerMessage, terminalClientMessage, TOKEN_PROTOCOL_PREFIX } from "../terminal/contract.js";
import type { Terminals, TerminalSession } from "../terminal/index.js";
import { allowedHost, allowedOrigin, checkToken } from "./http-security.js";

/** Bytes a person types or pastes: far below this. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

export interface TerminalSocketOptions {
	terminals: Terminals;
	token: string;
	port: () => number;
}

/** Handles upgrades on `server`; returns a function that ends every open terminal. */
export function attachTerminalSocket(server: Server, options: TerminalSocketOptions): () => void {
	const sockets = new WebSocketServer({
		noServer: true,
		maxPayload: MAX_MESSAGE_BYTES,
		handleProtocols: (offered) => (offered.has(TERMINAL_PROTOCOL) ? TERMINAL_PROTOCOL : false),
	});

	server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
		const refusal = refuse(request, options);
		if (refusal) {
			socket.end(`HTTP/1.1 ${refusal}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
			return;
		}
		sockets.handleUpgrade(request, socket, head, (ws) => serve(ws, options.terminals));
	});

	return () => {
		for (const ws of sockets.clients) ws.terminate();
		sockets.close();
	};
}

/** The status line of a refused upgrade, or null when it may go on. */
function refuse(request: IncomingMessage, options: TerminalSocketOptions): string | null {
	const port = options.port();
	if (!allowedHost(request.headers.host, port)) return "421 Misdirected Request";
	const { pathname } = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
	if (pathname !== "/api/terminal") return "404 Not Found";
	const offered = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((value) => value.trim());
	const token = offered.find((value) => value.startsWith(TOKEN_PROTOCOL_PREFIX))?.slice(TOKEN_PROTOCOL_PREFIX.length);
	const auth = checkToken(token === undefined ? undefined : `Bearer ${token}`, options.token);
	if (auth === "missing") return "401 Unauthorized";
	if (auth === "wrong") return "403 Forbidden";
	if (!allowedOrigin(request.headers.origin, port)) return "403 Forbidden";
	if (!offered.includes(TERMINAL_PROTOCOL)) return "400 Bad Request";
	return null;
}

function serve(ws: WebSocket, terminals: Terminals): void {
	let session: TerminalSession | null = null;
	let opening = false;
	const send = (message: TerminalServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(message));
	const finish = (message: TerminalServerMessage) => {
		send(message);
		ws.close(1000);
	};

	ws.on("message", (data, isBinary) => {
		const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
		if (isBinary) {
			session?.write(bytes);
			return;
		}
		let message: ReturnType<typeof terminalClientMessage.parse>;
		try {
			message = terminalClientMessage.parse(JSON.parse(bytes.toString("utf8")));
		} catch {
			finish({ type: "exit", code: null, error: { code: "BAD_REQUEST", message: "The terminal sent a message that is not a valid control message." } });
			return;
		}
		if (message.type === "resize") {
			session?.resize({ cols: message.cols, rows: message.rows });
			return;
		}
		if (session || opening) return;
		opening = true;
		const { type: _type, ...request } = message;
		terminals
			.open(request, {
				data: (chunk) => ws.readyState === ws.OPEN && ws.send(chunk, { binary: true }),
				exit: (exit) => finish({ type: "exit", ...exit }),
			})
			.then(
				(opened) => {
					// The page went away while the shell started: end it at once.
					if (ws.readyState !== ws.OPEN) return opened.close();
					session = opened;
					send({ type: "opened" });
				},
				(error: unknown) => finish({ type: "exit", code: null, error: toErrorInfo(error) }),
			);
	});
	ws.on("close", () => session?.close());
	ws.on("error", () => session?.close());
}
