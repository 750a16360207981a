// system.json in the agent's home: what a system install put on the machine, so that a
// repair keeps what an earlier run installed and a purge removes exactly that.
import { join } from "node:path";
import * as z from "zod";
import { firewallState, proxyInstall } from "../../core/protocol/system.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { readTextIfExists } from "../fs/read-if-exists.js";
import type { AgentHome } from "../home.js";

export const systemRecord = z.object({
	version: z.literal(1),
	/** The login that added the server, and its uid: the agent's socket is theirs. */
	owner: z.string(),
	ownerUid: z.number().int(),
	proxy: proxyInstall,
	/** Debian packages this install added (never ones that were there before). */
	packages: z.array(z.string()),
	units: z.array(z.string()),
	firewall: firewallState,
	updatedAt: z.string(),
});
export type SystemRecord = z.infer<typeof systemRecord>;

export function systemRecordPath(home: AgentHome): string {
	return join(home.root, "system.json");
}

/** The record, or null on a server no system install ran on (a test home, an older agent). */
export async function readSystemRecord(home: AgentHome): Promise<SystemRecord | null> {
	const text = await readTextIfExists(systemRecordPath(home));
	if (text === null) return null;
	const parsed = systemRecord.safeParse(JSON.parse(text));
	return parsed.success ? parsed.data : null;
}

/** Writes the record unless it says what the stored one says (a repair that found everything in place changes nothing). */
export async function writeSystemRecord(home: AgentHome, record: SystemRecord, previous: SystemRecord | null): Promise<void> {
	const same = previous && JSON.stringify({ ...previous, updatedAt: "" }) === JSON.stringify({ ...record, updatedAt: "" });
	if (!same) await writeFileAtomic(systemRecordPath(home), `${JSON.stringify(record, null, 2)}\n`, 0o600);
}
