import { createHash } from "node:crypto";

/** One object inside a pack: where its bytes start and how many there are. */
export interface PackEntry {
	id: string;
	offset: number;
	length: number;
}

// The index of a pack (pack-<name>.idx beside pack-<name>.pack), like git's .idx in
// spirit: a magic, the count, one fixed-size record per object sorted by id, and the
// sha1 of all that, so an index that was cut short or damaged is recognized and its
// pack ignored rather than read wrong.
const MAGIC = Buffer.from("DPIDX001");
const HEADER = MAGIC.length + 4;
/** 20 bytes of id, 4 of offset, 4 of length: a pack holds one objects.put batch (at most PUT_OBJECT_MAX_BYTES), far below 4 GiB. */
const RECORD = 28;
const CHECKSUM = 20;

export function encodePackIndex(entries: readonly PackEntry[]): Buffer {
	const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const out = Buffer.alloc(HEADER + sorted.length * RECORD + CHECKSUM);
	MAGIC.copy(out, 0);
	out.writeUInt32BE(sorted.length, MAGIC.length);
	for (const [i, { id, offset, length }] of sorted.entries()) {
		const at = HEADER + i * RECORD;
		out.write(id, at, 20, "hex");
		out.writeUInt32BE(offset, at + 20);
		out.writeUInt32BE(length, at + 24);
	}
	sha1(out.subarray(0, out.length - CHECKSUM)).copy(out, out.length - CHECKSUM);
	return out;
}

/** The entries of an index, or null when it is not a whole, undamaged index of a pack of `packBytes` bytes. */
export function decodePackIndex(data: Buffer, packBytes: number): PackEntry[] | null {
	if (data.length < HEADER + CHECKSUM || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
	const count = data.readUInt32BE(MAGIC.length);
	if (data.length !== HEADER + count * RECORD + CHECKSUM) return null;
	if (!sha1(data.subarray(0, data.length - CHECKSUM)).equals(data.subarray(data.length - CHECKSUM))) return null;
	const entries: PackEntry[] = new Array(count);
	for (let i = 0; i < count; i++) {
		const at = HEADER + i * RECORD;
		const entry = { id: data.toString("hex", at, at + 20), offset: data.readUInt32BE(at + 20), length: data.readUInt32BE(at + 24) };
		if (entry.offset + entry.length > packBytes) return null;
		entries[i] = entry;
	}
	return entries;
}

function sha1(data: Buffer): Buffer {
	return createHash("sha1").update(data).digest();
}
