import { type ClientRequest, type IncomingMessage, request } from "node:http";
import { type RequestOptions as HttpsRequestOptions, request as httpsRequest } from "node:https";
import { connect, createServer } from "node:net";

/** A port nothing listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
		});
	});
}

/** Whether a TCP connection to address:port is accepted within a second (a firewall's dropped SYN times out, a closed port is refused). */
export function reachable(address: string, port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ host: address, port, timeout: 1000 });
		const done = (ok: boolean) => {
			socket.destroy();
			resolve(ok);
		};
		socket.once("connect", () => done(true));
		socket.once("timeout", () => done(false));
		socket.once("error", () => done(false));
	});
}

/** GET through the proxy on 127.0.0.1 with the app's host name, as a browser on that name would. */
export function httpGet(port: number, host: string, path = "/"): Promise<Answer> {
	return answerOf((onResponse) => request({ host: "127.0.0.1", port, path, headers: { host }, timeout: 10_000 }, onResponse));
}

/** GET over HTTPS trusting only `ca`: a URL, or request options (host, port, servername, headers). */
export function httpsGet(target: string | HttpsRequestOptions, ca: string, timeoutMs = 10_000): Promise<Answer> {
	return answerOf((onResponse) => (typeof target === "string" ? httpsRequest(target, { ca, timeout: timeoutMs }, onResponse) : httpsRequest({ ...target, ca, timeout: timeoutMs }, onResponse)));
}

export interface Answer {
	status: number;
	body: string;
}

/** Sends the request `start` makes and reads the whole answer as text. */
function answerOf(start: (onResponse: (response: IncomingMessage) => void) => ClientRequest): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const req = start((response) => {
			let body = "";
			response.setEncoding("utf8");
			response.on("data", (chunk) => (body += chunk));
			response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
		});
		req.on("timeout", () => req.destroy(new Error("timed out")));
		req.on("error", reject);
		req.end();
	});
}
