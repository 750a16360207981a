import type { Readable, Writable } from "node:stream";
import {
	type AgentMessage,
	agentMessage,
	DeployError,
	type DeployEvent,
	type MethodName,
	type MethodWithBinaryPart,
	methods,
	type ParamsOf,
	type ResultOf,
	splitLines,
} from "../protocol/index.js";

export interface CallOptions {
	onEvent?: (event: DeployEvent) => void;
	signal?: AbortSignal;
}

interface Pending {
	method: MethodName;
	resolve: (value: unknown) => void;
	reject: (error: Error) => void;
	onEvent?: (event: DeployEvent) => void;
}

/**
 * The client end of the agent's RPC: many concurrent calls over one byte stream.
 * Counts the bytes it writes, so a deploy can report what travelled.
 */
export class RpcClient {
	private nextId = 1;
	private readonly pending = new Map<number, Pending>();
	private closedError: Error | null = null;
	bytesSent = 0;

	constructor(
		input: Readable,
		private readonly output: Writable,
	) {
		input.on(
			"data",
			splitLines(
				(line) => this.receive(line),
				() => this.fail(new DeployError("RPC_PROTOCOL", "The agent sent a line longer than the protocol allows.")),
			),
		);
		input.on("end", () => this.fail(new DeployError("AGENT_DISCONNECTED", "The connection to the agent closed.")));
		input.on("error", (error) => this.fail(new DeployError("AGENT_DISCONNECTED", `The connection to the agent failed: ${error.message}`)));
	}

	call<M extends MethodName>(method: M, params: ParamsOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
		if (this.closedError) return Promise.reject(this.closedError);
		const id = this.nextId++;
		return new Promise<ResultOf<M>>((resolve, reject) => {
			const pending: Pending = { method, resolve: resolve as (v: unknown) => void, reject };
			if (options.onEvent) pending.onEvent = options.onEvent;
			this.pending.set(id, pending);
			this.send({ id, method, params });
			options.signal?.addEventListener("abort", () => this.pending.has(id) && this.send({ id, cancel: true }), { once: true });
		});
	}

	/**
	 * A call followed by a binary part (objects.write's chunks, see core/protocol/frames.ts):
	 * the line, then the raw bytes. `bytes` is handed to the transport as it is, and a
	 * relay to another thread may move rather than copy it: the caller gives up the buffer.
	 */
	callWithBytes<M extends MethodWithBinaryPart>(method: M, params: ParamsOf<M>, bytes: Buffer): Promise<ResultOf<M>> {
		if (this.closedError) return Promise.reject(this.closedError);
		const id = this.nextId++;
		return new Promise<ResultOf<M>>((resolve, reject) => {
			this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
			const line = `${JSON.stringify({ id, method, params, bytes: bytes.length })}\n`;
			this.bytesSent += Buffer.byteLength(line) + bytes.length;
			this.output.write(line);
			if (bytes.length > 0) this.output.write(bytes);
		});
	}

	/** Rejects every call still waiting; used when the transport goes away. */
	fail(error: Error): void {
		this.closedError ??= error;
		for (const [id, pending] of this.pending) {
			this.pending.delete(id);
			pending.reject(error);
		}
	}

	private send(message: unknown): void {
		const line = `${JSON.stringify(message)}\n`;
		this.bytesSent += Buffer.byteLength(line);
		this.output.write(line);
	}

	private receive(line: string): void {
		const message = this.parse(line);
		if (!message) return;
		const pending = this.pending.get(message.id);
		if (!pending) return;
		if ("event" in message) {
			pending.onEvent?.(message.event);
			return;
		}
		this.pending.delete(message.id);
		if ("error" in message) {
			pending.reject(DeployError.fromInfo(message.error));
			return;
		}
		const result = methods[pending.method].result.safeParse(message.result);
		if (result.success) pending.resolve(result.data);
		else pending.reject(new DeployError("RPC_PROTOCOL", `The agent's answer to ${pending.method} is not valid: ${result.error.issues[0]?.message}`));
	}

	/** A message from the agent, or null after failing every call when it is garbage. */
	private parse(line: string): AgentMessage | null {
		let json: unknown;
		try {
			json = JSON.parse(line);
		} catch {
			this.fail(new DeployError("RPC_PROTOCOL", `The agent sent something that is not JSON: ${line.slice(0, 200)}`));
			return null;
		}
		const parsed = agentMessage.safeParse(json);
		if (parsed.success) return parsed.data;
		this.fail(new DeployError("RPC_PROTOCOL", "The agent sent a message this client does not understand.", "Run the command again to upgrade the agent."));
		return null;
	}
}
