/** A file up to this size keeps the bytes the snapshot read: a tree of many small files is read once, not again to be sent. */
export const KEEP_FILE_BYTES = 64 * 1024;
/** The most kept in all: past it, files are read again to be sent, as before (a first deploy of 50,000 ~160-byte files keeps 8 MB). */
export const KEEP_TOTAL_BYTES = 32 * 1024 * 1024;

/** A slab's size: a few hundred small files each. A slab is freed once every file kept in it was taken (or at clear). */
const SLAB_BYTES = 256 * 1024;

/**
 * Small files' contents as the snapshot read and hashed them, by blob id, for the
 * upload that follows: the upload takes each once (and so drops it), and drops the
 * rest when it is done. Only what the snapshot read anyway is kept, so a redeploy
 * whose stat cache spared the reads keeps nothing and reads only what it sends.
 * The bytes kept are the bytes hashed: sending them needs no second hash.
 */
export class KeptContents {
	private readonly contents = new Map<string, Buffer>();
	private bytes = 0;
	/** Kept bytes are copied into slabs: 50,000 buffers of their own cost the process ~25 MB more than their 8 MB of content. */
	private slab = Buffer.alloc(0);
	private slabUsed = 0;

	constructor(
		private readonly fileBytes = KEEP_FILE_BYTES,
		private readonly totalBytes = KEEP_TOTAL_BYTES,
	) {}

	/** Keeps `content` under `id` if it is small and there is room left. */
	offer(id: string, content: Buffer): void {
		if (content.length > this.fileBytes || this.bytes + content.length > this.totalBytes || this.contents.has(id)) return;
		if (this.slabUsed + content.length > this.slab.length) {
			this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, content.length));
			this.slabUsed = 0;
		}
		const copy = this.slab.subarray(this.slabUsed, this.slabUsed + content.length);
		content.copy(copy);
		this.slabUsed += content.length;
		this.contents.set(id, copy);
		this.bytes += content.length;
	}

	/** The kept content of `id`, no longer kept; undefined when it was not. */
	take(id: string): Buffer | undefined {
		const content = this.contents.get(id);
		if (content === undefined) return undefined;
		this.contents.delete(id);
		this.bytes -= content.length;
		return content;
	}

	/** Drops everything still kept: the upload is over. */
	clear(): void {
		this.contents.clear();
		this.bytes = 0;
		this.slab = Buffer.alloc(0);
		this.slabUsed = 0;
	}

	get keptBytes(): number {
		return this.bytes;
	}
}
