import { readFile } from "node:fs/promises";
import * as z from "zod";
import { writeJsonAtomic } from "../../../fs/atomic-write.js";

/** An app's instances as the resolver serves them: loopback only (agents/proxy/route.ts checks it). */
export type UpstreamTable = Record<string, { host: string; port: number }[]>;

const tableSchema = z.record(z.string(), z.array(z.object({ host: z.enum(["127.0.0.1", "::1"]), port: z.number().int().min(1).max(65535) })));

/** Replaced whole, atomically: the resolver never reads half a table. */
export async function writeUpstreamTable(file: string, table: UpstreamTable): Promise<void> {
	await writeJsonAtomic(file, table);
}

/** The table on disk; an absent or unreadable file is an empty table (Caddy then keeps its static upstreams). */
export async function readUpstreamTable(file: string): Promise<UpstreamTable> {
	try {
		return tableSchema.parse(JSON.parse(await readFile(file, "utf8")));
	} catch {
		return {};
	}
}
