// The CLI's early session, run in a worker thread (session-worker.ts): loading ssh2
// and the login's cryptography cost the CLI's thread ~80 ms of a ~0.5 s command, and
// that thread is the one busy loading the command itself. The worker does the SSH
// side on the other core; this side holds the RPC client and sees the worker's
// channel as an RpcLink, so a session behaves as one opened in this thread.
import { PassThrough, Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import type { EarlySshSession, SshConnectOptions, SshTarget, SshWorker } from "../../core/provider.js";
import { DeployError, EARLY_SESSION_LOST } from "../../core/protocol/errors.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import type { RpcLink } from "./bridge-link.js";
import type { FromWorker, ToWorker } from "./worker-messages.js";

/** The thread, started from its module before the server is known. */
class StartedWorker implements SshWorker {
	readonly thread: Worker;
	/** Resolves when the thread has ended, however it did. */
	readonly exited: Promise<void>;
	constructor(module: URL) {
		this.thread = new Worker(module);
		// A thread that fails to start shows up as a session that fails: nothing to report here.
		this.thread.once("error", () => undefined);
		// Until a command adopts its session, the thread must not keep the process alive:
		// a command that ends without it (or a guess that failed half-way) exits as usual.
		this.thread.unref();
		this.exited = new Promise((resolve) => this.thread.once("exit", () => resolve()));
	}
	async discard(): Promise<void> {
		await this.thread.terminate();
	}
}

export function startSshWorker(module: URL): SshWorker {
	return new StartedWorker(module);
}

export function openSshSessionInWorker(target: SshTarget, options: SshConnectOptions & { worker: SshWorker }): EarlySshSession {
	if (!(options.worker instanceof StartedWorker)) throw new TypeError("not a worker of startSshWorker");
	const { thread: worker, exited } = options.worker;
	const send = (message: ToWorker) => worker.postMessage(message);
	send({ type: "start", start: { target, bundle: options.bundle, ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}) } });
	const listeners = new Set<(message: FromWorker) => void>();
	worker.on("message", (message: FromWorker) => {
		for (const listener of listeners) listener(message);
	});
	let ended: Promise<void> | undefined;
	const end = () => {
		ended ??= (async () => {
			send({ type: "close" });
			// A worker that does not finish closing in time is stopped: it holds nothing that must be saved.
			const timer = setTimeout(() => void worker.terminate(), 4000);
			await exited;
			clearTimeout(timer);
		})();
		return ended;
	};

	return {
		async adopt(onEvent: (event: DeployEvent) => void = () => undefined) {
			// From now on the command waits on this thread's messages.
			worker.ref();
			const ready = await new Promise<Extract<FromWorker, { type: "ready" }>>((resolve, reject) => {
				const listener = (message: FromWorker) => {
					if (message.type === "event") onEvent(message.event);
					else if (message.type === "ready") settle(() => resolve(message));
					else if (message.type === "failed") settle(() => reject(DeployError.fromInfo(message.error)));
				};
				let settled = false;
				const settle = (done: () => void) => {
					if (settled) return;
					settled = true;
					listeners.delete(listener);
					done();
				};
				listeners.add(listener);
				// A thread that ended without a word (it should not) says nothing about the server: the caller connects again, in its own thread.
				void exited.then(() => settle(() => reject(new DeployError(EARLY_SESSION_LOST, "The SSH worker thread ended before its session was ready."))));
				send({ type: "adopt" });
			}).catch(async (error: unknown) => {
				await end();
				throw error;
			});
			// The link listens before anything else is awaited: the worker's next message may be channel data.
			const link = workerLink(ready.bytesBefore);
			const { rpcSession } = await import("./rpc-session.js");
			return {
				session: rpcSession(link, `${target.host}:${target.port}`),
				hostKeyFingerprint: ready.hostKeyFingerprint,
				agentInstalled: ready.agentInstalled,
			};
		},
		close: end,
	};

	/** The worker's relay of the channel, as the link rpcSession expects. */
	function workerLink(bytesBefore: number): RpcLink {
		const input = new PassThrough();
		const output = new Writable({
			write(chunk: Buffer, _encoding, callback) {
				// A chunk that owns its memory (an upload's line: a MiB or more) is moved to the thread, not copied:
				// a large upload would otherwise leave a copy of every line here for the garbage collector.
				const owns = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength && chunk.byteLength > Buffer.poolSize;
				if (owns) worker.postMessage({ type: "data", chunk } satisfies ToWorker, [chunk.buffer as ArrayBuffer]);
				else send({ type: "data", chunk });
				callback();
			},
		});
		let stderr: string[] = [];
		const onChannelClosed: ((exitCode: number | null) => void)[] = [];
		const onDisconnected: (() => void)[] = [];
		listeners.add((message) => {
			if (message.type === "data") input.write(message.chunk);
			else if (message.type === "channel-closed") {
				stderr = message.stderr;
				for (const listener of onChannelClosed) listener(message.exitCode);
				input.end();
			} else if (message.type === "disconnected") {
				for (const listener of onDisconnected) listener();
				input.end();
			}
		});
		// A worker that dies (it should not) ends the session as a lost connection would.
		void exited.then(() => {
			for (const listener of onDisconnected) listener();
			input.end();
		});
		return {
			input,
			output,
			bytesBefore,
			stderr: () => stderr,
			onChannelClosed: (listener) => onChannelClosed.push(listener),
			onDisconnected: (listener) => onDisconnected.push(listener),
			end,
		};
	}
}
