// The SSH worker thread's module (built as dist/cli/ssh-worker.js): started first
// thing by the CLI, it loads ssh2 while the CLI reads its store, then logs in and opens
// the agent's channel while the CLI's own thread loads the command, and relays the
// channel's bytes both ways. The RPC client stays in the CLI's thread
// (worker-session.ts); this only carries out the session's steps.
import { parentPort } from "node:worker_threads";
import { toErrorInfo } from "../../core/protocol/errors.js";
import { bridgeLink, type RpcLink } from "./bridge-link.js";
import { beginEarly } from "./session.js";
import type { FromWorker, ToWorker } from "./worker-messages.js";

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
// Started as soon as the CLI runs; the server it is for comes once the CLI has read its store.
let early: ReturnType<typeof beginEarly> | null = null;
let link: RpcLink | null = null;

port.on("message", (message: ToWorker) => {
	switch (message.type) {
		case "start": {
			const { target, bundle, connectTimeoutMs } = message.start;
			early = beginEarly(target, { bundle, acceptNewHostKey: false, ...(connectTimeoutMs ? { connectTimeoutMs } : {}) });
			return;
		}
		case "adopt":
			if (!early) return post({ type: "failed", error: { code: "INTERNAL", message: "The SSH worker was asked for a session it never started." } });
			early.adopt((event) => post({ type: "event", event })).then(
				(opened) => {
					post({ type: "ready", bytesBefore: opened.bridge.bytesSent, hostKeyFingerprint: opened.hostKeyFingerprint, agentInstalled: opened.bridge.installed !== null });
					link = bridgeLink(opened.client, opened.bridge);
					link.input.on("data", (chunk: Buffer) => post({ type: "data", chunk }));
					link.onChannelClosed((exitCode) => post({ type: "channel-closed", exitCode, stderr: link?.stderr() ?? [] }));
					link.onDisconnected(() => post({ type: "disconnected" }));
				},
				(error: unknown) => post({ type: "failed", error: toErrorInfo(error) }),
			);
			return;
		case "data":
			link?.output.write(message.chunk);
			return;
		case "close":
			// Adopted or not, the session ends and the thread may exit.
			(link ? link.end() : (early?.close() ?? Promise.resolve())).finally(() => {
				post({ type: "closed" });
				port.close();
			});
			return;
	}
});
