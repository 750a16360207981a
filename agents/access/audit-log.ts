// Issue 16: the audit log, audit.log in the agent's home: one JSON line per mutating
// call and per refusal, appended (O_APPEND), private to the agent (0600 in a 0700 home).
// Entries older than the retention (DEPLOY_AGENT_AUDIT_DAYS, default 365) are dropped
// by a rewrite at most once a day, the only time the file is not just appended to.
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type AuditEntry, auditEntry } from "../../core/protocol/team.js";
import { writeFileAtomic } from "../fs/atomic-write.js";

export const auditLogPath = (homeRoot: string) => join(homeRoot, "audit.log");

const DAY_MS = 86_400_000;

export function auditRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
	const days = Number(env.DEPLOY_AGENT_AUDIT_DAYS);
	return Number.isInteger(days) && days > 0 ? days : 365;
}

let lastPrune = 0;

export async function appendAudit(homeRoot: string, entry: AuditEntry, now = Date.now()): Promise<void> {
	await appendFile(auditLogPath(homeRoot), `${JSON.stringify(entry)}\n`, { mode: 0o600 });
	if (now - lastPrune > DAY_MS) {
		lastPrune = now;
		await pruneAudit(homeRoot, now - auditRetentionDays() * DAY_MS);
	}
}

/** Rewrites the log without the entries before `cutoff` (nothing when there are none). */
export async function pruneAudit(homeRoot: string, cutoff: number): Promise<void> {
	const text = await readFile(auditLogPath(homeRoot), "utf8").catch(() => "");
	const lines = text.split("\n").filter(Boolean);
	const kept = lines.filter((line) => Date.parse((JSON.parse(line) as AuditEntry).time) >= cutoff);
	if (kept.length === lines.length) return;
	await writeFileAtomic(auditLogPath(homeRoot), kept.map((line) => `${line}\n`).join(""));
}

export async function readAudit(homeRoot: string): Promise<AuditEntry[]> {
	const text = await readFile(auditLogPath(homeRoot), "utf8").catch(() => "");
	return text
		.split("\n")
		.filter(Boolean)
		.flatMap((line) => {
			const parsed = auditEntry.safeParse(JSON.parse(line));
			return parsed.success ? [parsed.data] : [];
		});
}

/** The key names of what a call set, never the values: env values, file contents and manifests stay out. */
const SECRET_OR_BULK = new Set(["set", "data", "contents", "manifest", "manifestDiff", "publicKey", "app", "specRef"]);

export function auditArgs(params: unknown): Record<string, unknown> {
	const args: Record<string, unknown> = {};
	for (const [key, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
		if (key === "set" && value && typeof value === "object") args.set = Object.keys(value).sort();
		else if (SECRET_OR_BULK.has(key)) continue;
		else if (typeof value === "number" || typeof value === "boolean" || (typeof value === "string" && value.length <= 200)) args[key] = value;
		else if (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === "string" && v.length <= 200)) args[key] = value;
		else if (value && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "number")) args[key] = value;
	}
	return args;
}
