import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** deployments/<id>.log: every line the deploy printed, kept for `deploy logs --deployment`. */
export class DeployLog {
	private readonly stream;

	constructor(path: string) {
		mkdirSync(dirname(path), { recursive: true });
		this.stream = createWriteStream(path, { flags: "a" });
		this.stream.on("error", () => undefined);
	}

	write(line: string): void {
		this.stream.write(`${line}\n`);
	}

	close(): Promise<void> {
		return new Promise((resolve) => this.stream.end(resolve));
	}
}
