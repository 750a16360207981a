// The bridge of `deploy ui`: POST /api/call/<method> with the token. Plain methods
// answer one JSON envelope; streaming ones answer NDJSON, events first and the
// result or error last. Aborting the fetch cancels the operation on the server.
import type { ApiInput, ApiMethod, ApiResult, Bridge, CallOptions, DeployEvent } from "./bridge.js";
import { ApiError, asEnvelope, isAbort } from "./errors.js";
import { ndjsonLines } from "./ndjson.js";

export class HttpBridge implements Bridge {
	constructor(
		/** e.g. "http://127.0.0.1:4321" or "" for the page's own origin. */
		private readonly origin: string,
		private readonly token: string,
	) {}

	async call<M extends ApiMethod>(method: M, input: ApiInput<M>, options: CallOptions = {}): Promise<ApiResult<M>> {
		let response: Response;
		try {
			response = await fetch(`${this.origin}/api/call/${method}`, {
				method: "POST",
				headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
				body: JSON.stringify(input ?? {}),
				...(options.signal ? { signal: options.signal } : {}),
			});
		} catch (error) {
			throw unreachable(error);
		}
		if ((response.headers.get("content-type") ?? "").includes("application/x-ndjson") && response.body) {
			return (await readStream(response.body, options)) as ApiResult<M>;
		}
		const envelope = await response.json().catch(() => null);
		return settle(envelope, response.status) as ApiResult<M>;
	}
}

async function readStream(body: ReadableStream<Uint8Array>, options: CallOptions): Promise<unknown> {
	try {
		for await (const line of ndjsonLines(body)) {
			const message = line as { event?: DeployEvent; result?: unknown; error?: unknown };
			if (message.event) options.onEvent?.(message.event);
			else return settle(message, 200);
		}
	} catch (error) {
		throw unreachable(error);
	}
	throw new ApiError({ code: "STREAM_ENDED", message: "The connection to `deploy ui` ended before the operation finished.", hint: "Is `deploy ui` still running?" });
}

function settle(envelope: unknown, status: number): unknown {
	const value = (envelope ?? {}) as { result?: unknown; error?: unknown };
	if ("result" in value) return value.result;
	const info = asEnvelope(value.error);
	if (info) throw new ApiError(info);
	if (status === 401 || status === 403) {
		throw new ApiError({ code: "UNAUTHORIZED", message: "This page's access token was refused.", hint: "Open the URL `deploy ui` printed last (a restart prints a new one)." });
	}
	throw new ApiError({ code: "BAD_RESPONSE", message: `Unexpected answer from \`deploy ui\` (HTTP ${status}).` });
}

function unreachable(error: unknown): Error {
	if (isAbort(error) || error instanceof ApiError) return error as Error;
	return new ApiError({
		code: "UNREACHABLE",
		message: `Cannot reach \`deploy ui\`: ${error instanceof Error ? error.message : String(error)}`,
		hint: "Is `deploy ui` still running? Start it again and open the URL it prints.",
	});
}
