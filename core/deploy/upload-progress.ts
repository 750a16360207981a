import type { DeployEvent } from "../protocol/index.js";

/** Progress events at most this often: a terminal line redrawn, not a flood of JSON lines. */
const EVERY_MS = 250;

/** Counts the bytes of an upload and emits `progress` events in bytes (the CLI draws them as a bar with the rate). */
export function uploadProgress(total: number, emit: (event: DeployEvent) => void): { add(bytes: number): void; finish(): void } {
	let done = 0;
	let last = 0;
	const send = () => emit({ type: "progress", step: "upload", done, total, unit: "bytes" });
	return {
		add(bytes) {
			done += bytes;
			const now = Date.now();
			if (now - last < EVERY_MS) return;
			last = now;
			send();
		},
		finish() {
			if (total > 0) send();
		},
	};
}
