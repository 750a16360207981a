import { type FileHandle, open, readFile, stat } from "node:fs/promises";
import { writeJsonAtomic } from "../fs/atomic-write.js";

/** How much one read takes at most: a huge backlog is caught up tick by tick, memory stays flat. */
const MAX_READ_BYTES = 4 * 1024 * 1024;

interface Position {
	ino: number;
	offset: number;
}

/**
 * Reads a log file incrementally: each call returns the complete lines written since
 * the last one. The position (inode + offset) is saved in `positionFile`, so an agent
 * restart neither re-counts nor skips lines. Rotation: when the path names a new file
 * (renamed away, as Caddy's roller and logrotate do), the old file is read to its end
 * through the still-open handle first; a file truncated in place starts over at 0.
 */
export class LogFollower {
	#handle: FileHandle | null = null;
	#position: Position | null = null;
	#saved = "";

	constructor(
		readonly path: string,
		readonly positionFile: string,
	) {}

	async readLines(): Promise<string[]> {
		const lines: string[] = [];
		if (!this.#handle && !(await this.#open())) return lines;
		lines.push(...(await this.#drain()));
		const current = await stat(this.path).catch(() => null);
		if (current && current.ino !== this.#position!.ino) {
			// Rotated: what the old file got after our last read is in `lines` already.
			await this.#close();
			if (await this.#open(true)) lines.push(...(await this.#drain()));
		}
		await this.#save();
		return lines;
	}

	async close(): Promise<void> {
		await this.#save();
		await this.#close();
	}

	async #open(rotated = false): Promise<boolean> {
		try {
			this.#handle = await open(this.path, "r");
		} catch {
			return false;
		}
		const { ino, size } = await this.#handle.stat();
		const saved = rotated ? null : await this.#load();
		this.#position = { ino, offset: saved && saved.ino === ino && saved.offset <= size ? saved.offset : 0 };
		return true;
	}

	async #drain(): Promise<string[]> {
		const handle = this.#handle!;
		const position = this.#position!;
		const { size } = await handle.stat();
		// Truncated in place (copytruncate): start over.
		if (size < position.offset) position.offset = 0;
		const length = Math.min(size - position.offset, MAX_READ_BYTES);
		if (length <= 0) return [];
		const buffer = Buffer.alloc(length);
		const { bytesRead } = await handle.read(buffer, 0, length, position.offset);
		const chunk = buffer.subarray(0, bytesRead);
		const end = chunk.lastIndexOf(0x0a);
		if (end === -1) {
			// A line longer than a whole read is no access log line: skip it rather than stall.
			if (bytesRead === MAX_READ_BYTES) position.offset += bytesRead;
			return [];
		}
		position.offset += end + 1;
		return chunk
			.subarray(0, end)
			.toString("utf8")
			.split("\n")
			.filter((line) => line.length > 0);
	}

	async #close(): Promise<void> {
		await this.#handle?.close().catch(() => undefined);
		this.#handle = null;
	}

	async #load(): Promise<Position | null> {
		try {
			const value = JSON.parse(await readFile(this.positionFile, "utf8")) as Position;
			return typeof value.ino === "number" && typeof value.offset === "number" ? value : null;
		} catch {
			return null;
		}
	}

	async #save(): Promise<void> {
		if (!this.#position) return;
		const text = JSON.stringify(this.#position);
		if (text === this.#saved) return;
		await writeJsonAtomic(this.positionFile, this.#position);
		this.#saved = text;
	}
}
