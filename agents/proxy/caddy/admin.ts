import { request } from "node:http";
import { DeployError } from "../../../core/protocol/index.js";
import { adminOrigin } from "./config.js";

interface AdminResponse {
	status: number;
	body: string;
}

/** One request to Caddy's admin API over its unix socket. */
export function adminRequest(socketPath: string, method: string, path: string, body?: object): Promise<AdminResponse> {
	const payload = body === undefined ? undefined : JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				socketPath,
				method,
				path,
				// Caddy only answers admin requests whose Host is an allowed origin (see renderCaddyConfig).
				headers: { host: adminOrigin, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) },
			},
			(res) => {
				let text = "";
				res.setEncoding("utf8");
				res.on("data", (chunk: string) => {
					text += chunk;
				});
				res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
				res.on("error", reject);
			},
		);
		req.setTimeout(30_000, () => req.destroy(new Error("Caddy's admin API did not answer within 30 s")));
		req.on("error", reject);
		req.end(payload);
	});
}

/** Whether a Caddy listens on the socket (any HTTP answer counts: a refusal still means it runs). */
export async function adminAnswers(socketPath: string): Promise<boolean> {
	try {
		return (await adminRequest(socketPath, "GET", "/config/")).status > 0;
	} catch {
		return false;
	}
}

/** Hands Caddy a whole config; Caddy validates it and swaps it in atomically, or keeps the old one. */
export async function loadConfig(socketPath: string, config: object): Promise<void> {
	const res = await adminRequest(socketPath, "POST", "/load", config);
	if (res.status !== 200) {
		throw new DeployError("PROXY_CONFIG_REJECTED", "Caddy refused the new proxy configuration; the previous one stays live.", undefined, [
			res.body.trim().slice(0, 2000),
		]);
	}
}
