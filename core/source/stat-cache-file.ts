// The stat cache's file (stat-cache.ts), in a binary layout: a redeploy of 50,000
// unchanged files reads it on every command, and as JSON (version 2) its 8 MB took
// ~0.1 s to decode and parse, a fifth of the whole snapshot. Here the numbers are one
// Float64Array taken as it lies, and the strings are sliced out once:
//
//   "DPSTAT3\n"  uint32 LE header length  header (JSON: writtenAt, rows, byte lengths)
//   zero padding to a multiple of 8
//   float64 x 4 x rows (the machine's byte order: the cache never leaves it): sizes,
//   then mtimes, ctimes, inos
//   ids (40 hex characters per row)  modes (one character per row)
//   paths (UTF-8, joined by NUL)  each note's value (UTF-8), in the header's order
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../protocol/atomic-write.js";

/** Row i is paths[i] with sizes[i], ... and ids[40i, 40i + 40). One character per mode (f, x, l). */
export interface Columns {
	paths: string[];
	/** paths.length, known without splitting them. */
	rows: number;
	/** Whether `path` is one of paths, answered without splitting them when they were not yet. */
	hasPath(path: string): boolean;
	sizes: ArrayLike<number>;
	mtimes: ArrayLike<number>;
	ctimes: ArrayLike<number>;
	inos: ArrayLike<number>;
	modes: string;
	ids: string;
}

/** [key, value] */
export type Note = [string, string];

export interface StatCacheContents {
	writtenAt: number;
	columns: Columns;
	notes: Map<string, Note>;
}

const MAGIC = Buffer.from("DPSTAT3\n", "latin1");

interface Header {
	writtenAt: number;
	rows: number;
	pathBytes: number;
	/** [name, key, bytes of the value] */
	notes: [string, string, number][];
}

/** The cache as written last; null when it is missing, of another version, or not whole. */
export async function readStatCacheFile(file: string): Promise<StatCacheContents | null> {
	let bytes: Buffer;
	try {
		bytes = await readFile(file);
	} catch {
		return null;
	}
	try {
		return decode(bytes);
	} catch {
		return null;
	}
}

export async function writeStatCacheFile(file: string, contents: StatCacheContents): Promise<void> {
	await writeFileAtomic(file, encode(contents));
}

function decode(bytes: Buffer): StatCacheContents | null {
	if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
	const headerLength = bytes.readUInt32LE(MAGIC.length);
	const headerStart = MAGIC.length + 4;
	const header = JSON.parse(bytes.toString("utf8", headerStart, headerStart + headerLength)) as Header;
	if (!wellFormed(header)) return null;
	const { rows } = header;
	let at = alignTo8(headerStart + headerLength);
	const numbersEnd = at + rows * 4 * 8;
	const idsEnd = numbersEnd + rows * 40;
	const modesEnd = idsEnd + rows;
	const pathsEnd = modesEnd + header.pathBytes;
	const notesBytes = header.notes.reduce((sum, [, , length]) => sum + length, 0);
	if (bytes.length !== pathsEnd + notesBytes) return null;
	// A copy, so that the Float64Array is aligned whatever the Buffer's offset in its pool.
	const numbers = new Float64Array(bytes.buffer.slice(bytes.byteOffset + at, bytes.byteOffset + numbersEnd));
	const ids = bytes.toString("latin1", numbersEnd, idsEnd);
	const modes = bytes.toString("latin1", idsEnd, modesEnd);
	if (!/^[0-9a-f]*$/.test(ids) || !/^[fxl]*$/.test(modes)) return null;
	if (separators(bytes, modesEnd, pathsEnd) !== Math.max(0, rows - 1)) return null;
	// Split at the first question: a redeploy that reuses every row as it is (snapshot.ts, rowsTakenWhole) never asks.
	let paths: string[] | undefined;
	const pathsOf = () => {
		paths ??= rows === 0 ? [] : bytes.toString("utf8", modesEnd, pathsEnd).split("\0");
		return paths;
	};
	const notes = new Map<string, Note>();
	at = pathsEnd;
	for (const [name, key, length] of header.notes) {
		notes.set(name, [key, bytes.toString("utf8", at, at + length)]);
		at += length;
	}
	const column = (index: number) => numbers.subarray(index * rows, (index + 1) * rows);
	const columns: Columns = {
		get paths() {
			return pathsOf();
		},
		set paths(value) {
			paths = value;
		},
		rows,
		hasPath(path) {
			if (paths) return paths.includes(path);
			// The separator is in no path: a question with one in it would match across two.
			if (path === "" || path.includes("\0")) return false;
			// NUL-delimited in the file, with NULs added at both ends of the region in thought: the first and last paths have one side only.
			const wanted = Buffer.from(`\0${path}\0`, "utf8");
			const region = bytes.subarray(modesEnd, pathsEnd);
			if (rows === 1) return region.equals(wanted.subarray(1, -1));
			return region.indexOf(wanted) >= 0 || region.subarray(0, wanted.length - 1).equals(wanted.subarray(1)) || region.subarray(Math.max(0, region.length - wanted.length + 1)).equals(wanted.subarray(0, -1));
		},
		sizes: column(0),
		mtimes: column(1),
		ctimes: column(2),
		inos: column(3),
		modes,
		ids,
	};
	return { writtenAt: header.writtenAt, columns, notes };
}

/** The NUL bytes in bytes[start, end): one fewer than the paths joined there. */
function separators(bytes: Buffer, start: number, end: number): number {
	let count = 0;
	for (let at = bytes.indexOf(0, start); at >= 0 && at < end; at = bytes.indexOf(0, at + 1)) count++;
	return count;
}

function encode({ writtenAt, columns, notes }: StatCacheContents): Buffer {
	const rows = columns.paths.length;
	const paths = Buffer.from(columns.paths.join("\0"), "utf8");
	const values = [...notes.values()].map(([, value]) => Buffer.from(value, "utf8"));
	const header: Header = { writtenAt, rows, pathBytes: paths.length, notes: [...notes].map(([name, [key]], i) => [name, key, values[i]!.length]) };
	const headerBytes = Buffer.from(JSON.stringify(header), "utf8");
	const length = Buffer.alloc(4);
	length.writeUInt32LE(headerBytes.length);
	const padding = Buffer.alloc(alignTo8(MAGIC.length + 4 + headerBytes.length) - (MAGIC.length + 4 + headerBytes.length));
	const numbers = new Float64Array(rows * 4);
	for (const [index, column] of [columns.sizes, columns.mtimes, columns.ctimes, columns.inos].entries()) numbers.set(column, index * rows);
	return Buffer.concat([MAGIC, length, headerBytes, padding, Buffer.from(numbers.buffer), Buffer.from(columns.ids, "latin1"), Buffer.from(columns.modes, "latin1"), paths, ...values]);
}

function wellFormed(header: Header): boolean {
	const count = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;
	return (
		typeof header === "object" &&
		header !== null &&
		typeof header.writtenAt === "number" &&
		count(header.rows) &&
		count(header.pathBytes) &&
		Array.isArray(header.notes) &&
		header.notes.every((note) => Array.isArray(note) && typeof note[0] === "string" && typeof note[1] === "string" && count(note[2]))
	);
}

function alignTo8(offset: number): number {
	return Math.ceil(offset / 8) * 8;
}
