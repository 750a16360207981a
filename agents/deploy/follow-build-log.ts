// Issue 18 (item 4): `deploy logs --build <id> -f`, the progress of a deploy that runs on
// without a client (a detached push): the deployment's log (deployments/<id>.log) as it
// is written, until its record says it ended.
import { open, readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";

/** How often the log and the record are looked at again: a person watching, not a machine. */
const POLL_MS = 250;
const RUNNING = new Set(["building", "deploying"]);

/** Sends each line of the log as it comes; resolves with their count once the deployment ended and every line was sent. */
export async function followBuildLog(logPath: string, recordPath: string, signal: AbortSignal, onLine: (line: string) => void): Promise<number> {
	let offset = 0;
	let partial = "";
	let lines = 0;
	for (;;) {
		// Read the status before the log: a deployment that ended has written its last line by then.
		const ended = !RUNNING.has(await statusOf(recordPath));
		const chunk = await readFrom(logPath, offset);
		offset += chunk.length;
		const parts = (partial + chunk.toString("utf8")).split("\n");
		partial = parts.pop() ?? "";
		for (const line of parts) {
			onLine(line);
			lines += 1;
		}
		if (ended) {
			if (partial) onLine(partial);
			return lines + (partial ? 1 : 0);
		}
		if (signal.aborted) return lines;
		await sleep(POLL_MS, undefined, { signal }).catch(() => undefined);
	}
}

async function statusOf(recordPath: string): Promise<string> {
	try {
		return String((JSON.parse(await readFile(recordPath, "utf8")) as { status?: unknown }).status);
	} catch {
		return "unknown";
	}
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
	const handle = await open(path, "r").catch(() => null);
	if (!handle) return Buffer.alloc(0);
	try {
		const { size } = await handle.stat();
		if (size <= offset) return Buffer.alloc(0);
		const buffer = Buffer.alloc(size - offset);
		await handle.read(buffer, 0, buffer.length, offset);
		return buffer;
	} finally {
		await handle.close();
	}
}
