// A minimal client of `deploy ui`'s api, the way a browser calls it: fetch with the
// Bearer token; NDJSON read line by line when the answer is a stream.
import { request } from "node:http";
import type { DeployEvent } from "../../core/protocol/index.js";

export interface CallAnswer {
	status: number;
	contentType: string;
	events: DeployEvent[];
	/** The JSON answer, or the last NDJSON line: `{ result }` or `{ error }`. */
	body: { result?: unknown; error?: { code: string; message: string; hint?: string; details?: string[] } };
}

export async function callApi(
	base: string,
	token: string | null,
	method: string,
	input?: unknown,
	options: { signal?: AbortSignal; onEvent?: (event: DeployEvent) => void } = {},
): Promise<CallAnswer> {
	const response = await fetch(`${base}/api/call/${method}`, {
		method: "POST",
		headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
		...(input !== undefined ? { body: JSON.stringify(input) } : {}),
		...(options.signal ? { signal: options.signal } : {}),
	});
	const contentType = response.headers.get("content-type") ?? "";
	if (!contentType.startsWith("application/x-ndjson")) return { status: response.status, contentType, events: [], body: (await response.json()) as CallAnswer["body"] };
	const events: DeployEvent[] = [];
	let last: CallAnswer["body"] = {};
	let buffer = "";
	const decoder = new TextDecoder();
	for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
		buffer += decoder.decode(chunk, { stream: true });
		let newline = buffer.indexOf("\n");
		while (newline !== -1) {
			const line = JSON.parse(buffer.slice(0, newline)) as { event?: DeployEvent } & CallAnswer["body"];
			buffer = buffer.slice(newline + 1);
			if (line.event) {
				events.push(line.event);
				options.onEvent?.(line.event);
			} else last = line;
			newline = buffer.indexOf("\n");
		}
	}
	return { status: response.status, contentType, events, body: last };
}

/** A raw request, for what fetch won't send: another Host header, a path with dot segments. */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path, headers }, (response) => {
			let body = "";
			response.setEncoding("utf8");
			response.on("data", (chunk) => (body += chunk));
			response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
		});
		req.on("error", reject);
		req.end();
	});
}
