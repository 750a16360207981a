// Issue 17, item 4: the bridge of the dashboard a server serves. Each call is one
// request to this origin's API, `POST /api/v1/<agent method>` (server-calls.ts maps the
// contract onto them), with the access token of stores/session.ts as its bearer. An
// expired token is renewed once with the refresh cookie and the call made again;
// streams (a followed log, a rollback's steps) are NDJSON as in `deploy ui`.
import { useSession } from "../stores/session.js";
import type { ApiInput, ApiMethod, ApiResult, Bridge, CallOptions, DeployEvent } from "./bridge.js";
import { ApiError, asEnvelope, isAbort } from "./errors.js";
import { ndjsonLines } from "./ndjson.js";
import { type ServerCall, serverCalls } from "./server-calls.js";

export class ServerBridge implements Bridge {
	async call<M extends ApiMethod>(method: M, input: ApiInput<M>, options: CallOptions = {}): Promise<ApiResult<M>> {
		const mapper = serverCalls[method] as ((input: ApiInput<M>) => ServerCall<M> | { local: ApiResult<M> }) | undefined;
		if (!mapper) throw new ApiError({ code: "NOT_ON_THE_SERVER", message: `${method} is not available in the server's dashboard.`, hint: "Use the desktop app or the CLI for it." });
		const planned = mapper(input);
		if ("local" in planned) return planned.local;
		const answer = await this.#request(planned, options, true);
		return planned.shape(answer as never);
	}

	async #request(planned: ServerCall, options: CallOptions, mayRenew: boolean): Promise<unknown> {
		const token = useSession.getState().accessToken;
		let response: Response;
		try {
			response = await fetch(`/api/v1/${planned.method}`, {
				method: "POST",
				credentials: "same-origin",
				headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
				body: JSON.stringify(planned.params),
				...(options.signal ? { signal: options.signal } : {}),
			});
		} catch (error) {
			throw unreachable(error);
		}
		if ((response.headers.get("content-type") ?? "").includes("application/x-ndjson") && response.body) return readStream(response.body, options);
		const envelope = (await response.json().catch(() => null)) as { result?: unknown; error?: unknown } | null;
		if (envelope && "result" in envelope) return envelope.result;
		const error = asEnvelope(envelope?.error) ?? { code: "BAD_RESPONSE", message: `Unexpected answer from the server (HTTP ${response.status}).` };
		if (error.code === "TOKEN_EXPIRED" && mayRenew && (await useSession.getState().renew())) return this.#request(planned, options, false);
		throw new ApiError(error);
	}
}

async function readStream(body: ReadableStream<Uint8Array>, options: CallOptions): Promise<unknown> {
	try {
		for await (const line of ndjsonLines(body)) {
			const message = line as { event?: DeployEvent; result?: unknown; error?: unknown };
			if (message.event) options.onEvent?.(message.event);
			else if ("result" in message) return message.result;
			else throw new ApiError(asEnvelope(message.error) ?? { code: "BAD_RESPONSE", message: "Unexpected line from the server." });
		}
	} catch (error) {
		throw unreachable(error);
	}
	throw new ApiError({ code: "STREAM_ENDED", message: "The connection to the server ended before the operation finished.", hint: "Reload the page and try again." });
}

function unreachable(error: unknown): Error {
	if (isAbort(error) || error instanceof ApiError) return error as Error;
	return new ApiError({ code: "UNREACHABLE", message: `Cannot reach the server: ${error instanceof Error ? error.message : String(error)}`, hint: "Check your connection and reload the page." });
}
