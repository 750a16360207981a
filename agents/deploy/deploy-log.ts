import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** Bytes kept per deployment log: a build printing without end must not fill the disk. */
export const DEPLOY_LOG_MAX_BYTES = 16 * 1024 * 1024;

/** deployments/<id>.log: every line the deploy printed (up to a cap), kept for `deploy logs --deployment`. */
export class DeployLog {
	private readonly stream;
	private bytes = 0;
	private dropped = 0;

	constructor(
		path: string,
		private readonly maxBytes = DEPLOY_LOG_MAX_BYTES,
	) {
		mkdirSync(dirname(path), { recursive: true });
		this.stream = createWriteStream(path, { flags: "a" });
		this.stream.on("error", () => undefined);
	}

	write(line: string): void {
		const size = Buffer.byteLength(line) + 1;
		if (this.bytes + size > this.maxBytes) {
			this.dropped += 1;
			return;
		}
		this.bytes += size;
		this.stream.write(`${line}\n`);
	}

	close(): Promise<void> {
		if (this.dropped > 0) this.stream.write(`[${this.dropped} more line(s) not kept: the deployment log is capped at ${this.maxBytes} bytes]\n`);
		return new Promise((resolve) => this.stream.end(resolve));
	}
}
