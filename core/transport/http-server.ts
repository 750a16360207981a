// `deploy ui`'s server: the renderer build and the api on 127.0.0.1 behind a token.
// The token is handed out only for a one-time launch code (launch-codes.ts).
// node:http is enough: one route family, one static folder.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Api } from "../api/index.js";
import { DeployError } from "../protocol/index.js";
import { handleApiCall, sendJson } from "./http-api.js";
import { createLaunchCodes } from "./launch-codes.js";
import { handleLaunch, LAUNCH_PATH } from "./launch-exchange.js";
import type { Terminals } from "../terminal/index.js";
import { allowedHost, allowedOrigin, CONTENT_SECURITY_POLICY, checkToken, createToken, SECURITY_HEADERS } from "./http-security.js";
import { serveStatic } from "./static-files.js";
import { attachTerminalSocket } from "./terminal-socket.js";

export interface UiServerOptions {
	api: Api;
	/** The renderer build (dist/renderer); null serves the api only. */
	staticDir: string | null;
	/** 0 (the default) lets the kernel pick a free port. */
	port?: number;
	/** Default: 32 fresh random bytes. */
	token?: string;
	/** Shells for the terminal tab (a WebSocket at /api/terminal); without it, no terminal. */
	terminals?: Terminals;
}

export interface UiServer {
	port: number;
	/** The session token: it stays in this process, handed only to a redeemed launch code. */
	token: string;
	/** A fresh one-time URL to open; the code rides in the fragment, which browsers never send. */
	launch(): LaunchLink;
	/** Stops listening, cancels running calls and drops open connections. */
	close(): Promise<void>;
}

export interface LaunchLink {
	url: string;
	/** Settles when a page has redeemed this link's code. */
	used: Promise<void>;
}

const API_PREFIX = "/api/call/";

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
	const token = options.token ?? createToken();
	const launchCodes = createLaunchCodes();
	const stopping = new AbortController();
	let port = 0;

	const server = createServer((request, response) => {
		route(request, response).catch((error: unknown) => {
			if (!response.headersSent) sendJson(response, 500, { error: { code: "INTERNAL", message: error instanceof Error ? error.message : String(error) } });
			else response.destroy();
		});
	});

	async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
		if (!allowedHost(request.headers.host, port)) {
			return sendJson(response, 421, { error: { code: "HOST_REFUSED", message: "This server answers only to 127.0.0.1 and localhost.", hint: `Open http://127.0.0.1:${port}/` } });
		}
		const { pathname } = new URL(request.url ?? "/", `http://127.0.0.1:${port}`);
		if (pathname === LAUNCH_PATH) {
			// Before the token check: the code is what this request has instead of a token.
			if (!allowedOrigin(request.headers.origin, port)) return sendJson(response, 403, { error: { code: "FORBIDDEN", message: "Cross-origin calls are refused." } });
			return handleLaunch(launchCodes, token, request, response);
		}
		if (pathname.startsWith("/api/")) {
			const auth = checkToken(request.headers.authorization, token);
			if (auth === "missing") return sendJson(response, 401, { error: { code: "UNAUTHORIZED", message: "This request carries no token.", hint: "Open the URL `deploy ui` printed." } });
			if (auth === "wrong") return sendJson(response, 403, { error: { code: "FORBIDDEN", message: "The token is not this server's.", hint: "Open the URL `deploy ui` printed; a restart makes a new token." } });
			if (!allowedOrigin(request.headers.origin, port)) return sendJson(response, 403, { error: { code: "FORBIDDEN", message: "Cross-origin calls are refused." } });
			if (!pathname.startsWith(API_PREFIX)) return sendJson(response, 404, { error: { code: "NOT_FOUND", message: `Nothing at ${pathname}.` } });
			if (request.method !== "POST") {
				response.setHeader("allow", "POST");
				return sendJson(response, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Api calls are POST requests." } });
			}
			return handleApiCall(options.api, decodeURIComponent(pathname.slice(API_PREFIX.length)), request, response, stopping.signal);
		}
		if (request.method !== "GET" && request.method !== "HEAD") {
			response.setHeader("allow", "GET, HEAD");
			return sendJson(response, 405, { error: { code: "METHOD_NOT_ALLOWED", message: "Pages are read with GET." } });
		}
		const page = { "content-security-policy": CONTENT_SECURITY_POLICY };
		if (options.staticDir && (await serveStatic(options.staticDir, pathname, response, page))) return;
		response.writeHead(404, { ...page, "content-type": "text/plain; charset=utf-8" });
		response.end(options.staticDir ? "Not found.\n" : "The UI is not built: run `npm run build`.\n");
	}

	const stopTerminals = options.terminals ? attachTerminalSocket(server, { terminals: options.terminals, token, port: () => port }) : () => undefined;

	await new Promise<void>((resolve, reject) => {
		server.once("error", (error: NodeJS.ErrnoException) =>
			reject(
				error.code === "EADDRINUSE"
					? new DeployError("PORT_IN_USE", `Port ${options.port} on 127.0.0.1 is in use.`, "Pick another with --port, or leave it out for a free one.")
					: error,
			),
		);
		server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
	});
	port = (server.address() as AddressInfo).port;

	return {
		port,
		token,
		launch() {
			const { code, used } = launchCodes.issue();
			return { url: `http://127.0.0.1:${port}/#launch=${code}`, used };
		},
		close: () =>
			new Promise<void>((resolve) => {
				stopping.abort();
				stopTerminals();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
