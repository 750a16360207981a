// Issue 17, item 5: a large file's chunks over the HTTPS API, where each chunk is its
// own request. Over SSH a file's partial upload lives as long as its connection
// (agents/daemon/rpc-server.ts); here it is kept per caller and file id across
// requests, and dropped (its temp file with it) when no chunk came for `idleMs`, so an
// interrupted CI job leaves nothing behind for long.
//
// Requests may overtake one another (several chunks are in flight, on several
// connections, through the proxy), so a chunk that comes early waits for the one before
// it: at most MAX_AHEAD per file, each at most one chunk's bytes, so the memory a file
// costs stays bounded. The file itself goes to disk as over SSH (incoming.ts).
import { CHUNKS_IN_FLIGHT, DeployError } from "../../core/protocol/index.js";
import { type Chunk, type ChunkSink, IncomingObjects } from "./incoming.js";
import type { Lease } from "./leases.js";
import type { ObjectStore } from "./store.js";

/** Chunks of one file that may wait for an earlier one: what the client keeps in flight, with room for a retry. */
const MAX_AHEAD = CHUNKS_IN_FLIGHT * 2;

interface Upload {
	incoming: IncomingObjects;
	lease: Lease;
	/** The offset the file's next chunk starts at. */
	expected: number;
	/** Chunks that came before their turn, by offset. */
	ahead: Map<number, { go: () => void; fail: (error: Error) => void }>;
	timer: NodeJS.Timeout | undefined;
}

export interface UploadsAcrossRequestsOptions {
	store: ObjectStore;
	maxObjectBytes: number;
	/** How long an unfinished file is kept without a chunk before it is dropped. */
	idleMs: number;
}

export class UploadsAcrossRequests {
	private readonly uploads = new Map<string, Upload>();

	constructor(private readonly options: UploadsAcrossRequestsOptions) {}

	/** Where one caller's chunks go (`caller`: who sent them; one caller never continues another's file). */
	sinkFor(caller: string): ChunkSink {
		return { write: (chunk) => this.write(`${caller}\0${chunk.id}`, chunk) };
	}

	/** Files unfinished right now (for tests and status). */
	get pending(): number {
		return this.uploads.size;
	}

	/** Drops every unfinished file now (a test's end; in the agent, each goes when its idle time is up: the timers keep no process alive). */
	async close(): Promise<void> {
		await Promise.all([...this.uploads.keys()].map((key) => this.drop(key, new DeployError("CANCELLED", "The API was stopped."))));
	}

	private async write(key: string, chunk: Chunk): Promise<{ received: number; stored: boolean }> {
		const upload = this.uploads.get(key) ?? this.begin(key);
		this.touch(key, upload);
		try {
			// A chunk sent twice, or too far ahead, fails its file as a chunk out of order does over SSH (incoming.ts).
			if (chunk.offset < upload.expected || upload.ahead.has(chunk.offset)) throw repeated(chunk, upload.expected);
			if (chunk.offset > upload.expected) {
				if (upload.ahead.size >= MAX_AHEAD) throw new DeployError("OBJECT_CORRUPT", `Object ${chunk.id}: too many chunks came before the one at offset ${upload.expected}.`, "Run the deploy again; the upload was interrupted.");
				await new Promise<void>((go, fail) => upload.ahead.set(chunk.offset, { go, fail }));
			}
			const done = await upload.incoming.write(chunk);
			if (done.stored) {
				this.forget(key, upload);
				return done;
			}
			upload.expected = done.received;
			const next = upload.ahead.get(done.received);
			upload.ahead.delete(done.received);
			next?.go();
			return done;
		} catch (error) {
			await this.drop(key, error as Error, upload);
			throw error;
		}
	}

	private begin(key: string): Upload {
		const lease = this.options.store.leases.open();
		const upload: Upload = {
			incoming: new IncomingObjects(this.options.store, lease, this.options.maxObjectBytes),
			lease,
			expected: 0,
			ahead: new Map(),
			timer: undefined,
		};
		this.uploads.set(key, upload);
		return upload;
	}

	private touch(key: string, upload: Upload): void {
		clearTimeout(upload.timer);
		upload.timer = setTimeout(() => {
			void this.drop(key, new DeployError("UPLOAD_ABANDONED", `No chunk came for ${Math.round(this.options.idleMs / 1000)} s: the unfinished file was dropped.`, "Run the deploy again."), upload);
		}, this.options.idleMs);
		upload.timer.unref();
	}

	/** A finished file: its lease ends with the request, as an objects.put's does. */
	private forget(key: string, upload: Upload): void {
		if (this.uploads.get(key) !== upload) return;
		this.uploads.delete(key);
		clearTimeout(upload.timer);
		upload.lease.release();
		for (const waiting of upload.ahead.values()) waiting.fail(new DeployError("OBJECT_CORRUPT", "A chunk came after its file was complete.", "Run the deploy again."));
	}

	/** An unfinished file given up (failed, abandoned, or the API stopped): its temp file goes, its waiting chunks fail. */
	private async drop(key: string, reason: Error, which?: Upload): Promise<void> {
		const upload = this.uploads.get(key);
		// Already gone, or another upload of the same file that began since: not this one's to drop.
		if (!upload || (which && upload !== which)) return;
		this.uploads.delete(key);
		clearTimeout(upload.timer);
		await upload.incoming.discard().catch(() => undefined);
		upload.lease.release();
		// Told only once the temp file is gone: a failed chunk means nothing of its file is left.
		for (const waiting of upload.ahead.values()) waiting.fail(reason);
		upload.ahead.clear();
	}
}

function repeated(chunk: Chunk, expected: number): DeployError {
	return new DeployError("OBJECT_CORRUPT", `Object ${chunk.id}: a chunk at offset ${chunk.offset} came twice (the next expected is at ${expected}).`, "Run the deploy again; the upload was interrupted.");
}
