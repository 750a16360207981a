import { createHash, type Hash, randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { CHUNK_BYTES, DeployError } from "../../core/protocol/index.js";
import { tooLarge } from "./inflate.js";
import type { Lease } from "./leases.js";
import { checkRoom } from "./room.js";
import type { ObjectStore } from "./store.js";

/** One chunk of a large file, as objects.write brings it (its binary part: raw, or raw deflate when `deflated`). */
export interface Chunk {
	id: string;
	size: number;
	offset: number;
	/** The chunk's bytes in the pieces the connection brought them in: written and hashed as they are, never joined (unless deflated). */
	pieces: Buffer[];
	deflated: boolean;
}

/** Where a call's chunks go: one connection's IncomingObjects over SSH, a caller's uploads across requests over HTTPS (uploads-across-requests.ts). */
export interface ChunkSink {
	write(chunk: Chunk): Promise<{ received: number; stored: boolean }>;
}

interface Partial {
	id: string;
	size: number;
	/** The temp file, once opened. */
	file: { handle: FileHandle; temp: string } | null;
	hash: Hash;
	/** Bytes written so far: where the next chunk must start. */
	received: number;
	/** The work queued on this file (its opening, then each chunk): the next chunk waits for it, so the file and its hash grow in order. */
	busy: Promise<unknown>;
}

/**
 * The large files one connection is uploading in chunks (objects.write). Each goes
 * to a temp file beside its place in the store while its git blob id is hashed,
 * so the daemon holds one chunk per file, never the file; the last chunk checks the
 * id and renames the file into the store. A connection that closes drops its
 * unfinished files (`discard`); the collector removes a temp file a crash left.
 *
 * The RPC server dispatches calls in the order they arrive and the handler calls
 * `write` before it awaits anything, so chunks are queued here in the client's order.
 */
export class IncomingObjects implements ChunkSink {
	private readonly partials = new Map<string, Partial>();
	private closed = false;

	constructor(
		private readonly store: ObjectStore,
		private readonly lease: Lease,
		private readonly maxObjectBytes: number,
	) {}

	/** Writes one chunk; `stored` once the file is complete and in the store. */
	write(chunk: Chunk): Promise<{ received: number; stored: boolean }> {
		if (this.closed) return Promise.reject(new DeployError("CANCELLED", "The client disconnected."));
		let partial = this.partials.get(chunk.id);
		if (!partial && chunk.offset === 0) partial = this.begin(chunk);
		if (!partial) return Promise.reject(outOfOrder(chunk, 0));
		const current = partial;
		const turn = current.busy.then(() => this.append(current, chunk));
		current.busy = turn.catch(() => undefined);
		return turn;
	}

	/** Drops every unfinished file (the connection closed): their temp files go. */
	async discard(): Promise<void> {
		this.closed = true;
		const all = [...this.partials.values()];
		this.partials.clear();
		await Promise.all(all.map((partial) => partial.busy.catch(() => undefined).then(() => this.abandon(partial))));
	}

	private begin(chunk: Chunk): Partial {
		const partial: Partial = { id: chunk.id, size: chunk.size, file: null, hash: createHash("sha1").update(`blob ${chunk.size}\0`), received: 0, busy: Promise.resolve() };
		this.partials.set(chunk.id, partial);
		const opening = (async () => {
			if (chunk.size > this.maxObjectBytes) throw tooLarge(`Object ${chunk.id}`, this.maxObjectBytes);
			this.lease.add([chunk.id]);
			const target = this.store.pathOf(chunk.id);
			// Room for the whole file is checked before its first byte is written.
			await checkRoom(this.store.dir, chunk.size);
			await mkdir(dirname(target), { recursive: true, mode: 0o700 });
			// The name the collector knows for a leftover temp file (core/protocol/atomic-write.ts).
			const temp = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString("hex")}.tmp`);
			partial.file = { handle: await open(temp, "wx", 0o600), temp };
		})();
		// A file that cannot be opened fails its first chunk; the chunks queued behind it fail as out of order.
		partial.busy = opening.catch((error: unknown) => {
			this.partials.delete(chunk.id);
			partial.received = -1;
			throw error;
		});
		return partial;
	}

	private async append(partial: Partial, chunk: Chunk): Promise<{ received: number; stored: boolean }> {
		try {
			if (!partial.file || chunk.offset !== partial.received || chunk.size !== partial.size) throw outOfOrder(chunk, partial.received);
			const pieces = chunk.deflated ? [await inflateChunk(chunk)] : chunk.pieces;
			const length = pieces.reduce((sum, piece) => sum + piece.length, 0);
			if (partial.received + length > partial.size) throw corrupt(chunk.id, "is longer than its announced size");
			await partial.file.handle.writev(pieces, partial.received);
			for (const piece of pieces) partial.hash.update(piece);
			partial.received += length;
			if (partial.received < partial.size) return { received: partial.received, stored: false };
			this.partials.delete(chunk.id);
			const actual = partial.hash.digest("hex");
			if (actual !== chunk.id) throw corrupt(chunk.id, `does not match its content (it hashes to ${actual})`);
			await partial.file.handle.sync();
			await partial.file.handle.close();
			await this.store.adopt(chunk.id, partial.file.temp);
			return { received: partial.received, stored: true };
		} catch (error) {
			if (this.partials.get(chunk.id) === partial) this.partials.delete(chunk.id);
			partial.received = -1;
			await this.abandon(partial);
			throw error;
		}
	}

	private async abandon(partial: Partial): Promise<void> {
		if (!partial.file) return;
		await partial.file.handle.close().catch(() => undefined);
		await rm(partial.file.temp, { force: true }).catch(() => undefined);
	}
}

async function inflateChunk(chunk: Chunk): Promise<Buffer> {
	const { inflateRaw } = await import("node:zlib");
	return new Promise((resolve, reject) =>
		// A chunk never inflates past CHUNK_BYTES: zlib stops there, so a compression bomb costs one chunk.
		inflateRaw(Buffer.concat(chunk.pieces), { maxOutputLength: CHUNK_BYTES }, (error, out) => (error ? reject(corrupt(chunk.id, `has a chunk that is not valid deflate data of at most ${CHUNK_BYTES} bytes`)) : resolve(out))),
	);
}

function outOfOrder(chunk: Chunk, expected: number): DeployError {
	return new DeployError("OBJECT_CORRUPT", `Object ${chunk.id}: a chunk at offset ${chunk.offset} came where offset ${expected} was expected.`, "Run the deploy again; the upload was interrupted.");
}

function corrupt(id: string, what: string): DeployError {
	return new DeployError("OBJECT_CORRUPT", `Object ${id} ${what}.`, "Run the deploy again; the upload was damaged.");
}
