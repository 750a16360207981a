// POST /api/call/<method>: the contract's methods over HTTP. A non-stream method
// answers one JSON document; a stream method answers NDJSON, one `{"event"}` per line
// and then `{"result"}` or `{"error"}` as the last line. The client tells them apart
// by content-type. A client that goes away (an aborted fetch) cancels the call.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Api } from "../api/index.js";
import { apiMethods, invokeApi, isApiMethod, parseApiInput } from "../api/contract.js";
import { DeployError, toErrorInfo } from "../protocol/index.js";
import { httpStatusOf } from "./http-status.js";

const MAX_BODY_BYTES = 1024 * 1024;

export async function handleApiCall(api: Api, methodName: string, request: IncomingMessage, response: ServerResponse, stopping: AbortSignal): Promise<void> {
	const controller = new AbortController();
	const abort = () => controller.abort();
	// "close" before the answer is complete means the client went away.
	response.on("close", () => response.writableFinished || abort());
	stopping.addEventListener("abort", abort, { once: true });
	try {
		if (!isApiMethod(methodName)) {
			throw new DeployError("UNKNOWN_METHOD", `There is no api method "${methodName}".`, "See core/api/contract.ts for the methods.");
		}
		const input = await readJsonBody(request);
		if (!apiMethods[methodName].stream) {
			const result = await invokeApi(api, methodName, input, { signal: controller.signal });
			sendJson(response, 200, { result: result ?? null });
			return;
		}
		// Checked before the first byte, so a bad input is a 400 even for a stream method (the api's own check runs inside the call).
		parseApiInput(methodName, input);
		response.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
		response.flushHeaders();
		const line = (value: unknown) => response.writable && response.write(`${JSON.stringify(value)}\n`);
		try {
			const result = await invokeApi(api, methodName, input, { signal: controller.signal, onEvent: (event) => line({ event }) });
			line({ result: result ?? null });
		} catch (error) {
			line({ error: toErrorInfo(error) });
		}
		response.end();
	} catch (error) {
		const info = toErrorInfo(error);
		if (!response.headersSent) sendJson(response, httpStatusOf(info), { error: info });
		else response.end();
	} finally {
		stopping.removeEventListener("abort", abort);
	}
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
	if (response.headersSent || !response.writable) return;
	const text = JSON.stringify(body);
	response.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
	response.end(text);
}

/** An empty body is no input (methods such as servers.list take none). */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of request as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > MAX_BODY_BYTES) throw new DeployError("BODY_TOO_LARGE", `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
		chunks.push(chunk);
	}
	const text = Buffer.concat(chunks).toString("utf8").trim();
	if (text === "") return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new DeployError("BAD_REQUEST", "The request body is not valid JSON.", "Send the method's input as a JSON object.");
	}
}
