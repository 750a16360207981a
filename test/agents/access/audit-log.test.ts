// Issue 16: the audit log is private to the agent, appended to, and keeps entries for the
// retention (DEPLOY_AGENT_AUDIT_DAYS, default 365 days) and no longer.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { appendAudit, auditArgs, auditLogPath, auditRetentionDays, pruneAudit, readAudit } from "../../../agents/access/audit-log.js";
import type { AuditEntry } from "../../../core/protocol/team.js";

let home: string;
const DAY = 86_400_000;
const entry = (time: number, action: string): AuditEntry => ({ time: new Date(time).toISOString(), member: "bob", fingerprint: "SHA256:x", client: "127.0.0.1", action, method: "deploy", app: "shop", args: {}, result: "ok" });

beforeAll(async () => {
	home = await mkdtemp(join(tmpdir(), "deploy-audit-"));
});

afterAll(async () => {
	await rm(home, { recursive: true, force: true });
});

test("entries past the retention go; the rest stay in order; the file stays private", async () => {
	const now = Date.parse("2026-12-03T12:00:00Z");
	// The first append of a run prunes: with the default retention, the entry 400 days old goes.
	await appendAudit(home, entry(now - 400 * DAY, "old"), now - 400 * DAY);
	await appendAudit(home, entry(now - 300 * DAY, "kept"), now - 300 * DAY);
	await appendAudit(home, entry(now, "new"), now);
	assert.deepEqual((await readAudit(home)).map((e) => e.action), ["kept", "new"]);
	await pruneAudit(home, now - 30 * DAY);
	assert.deepEqual((await readAudit(home)).map((e) => e.action), ["new"]);
	assert.equal((await stat(auditLogPath(home))).mode & 0o777, 0o600);
	assert.equal((await readFile(auditLogPath(home), "utf8")).split("\n").length, 2);
});

test("the retention is configurable; a bad value keeps the default", () => {
	assert.equal(auditRetentionDays({}), 365);
	assert.equal(auditRetentionDays({ DEPLOY_AGENT_AUDIT_DAYS: "30" }), 30);
	assert.equal(auditRetentionDays({ DEPLOY_AGENT_AUDIT_DAYS: "soon" }), 365);
});

test("arguments keep names and small values, never env values, contents or keys", () => {
	assert.deepEqual(auditArgs({ app: "shop", environment: "production", set: { TOKEN: "s3cret", A: "b" }, unset: ["OLD"], data: "AAAA", publicKey: "ssh-ed25519 AAAA", processes: { web: 2 }, wait: true }), {
		environment: "production",
		set: ["A", "TOKEN"],
		unset: ["OLD"],
		processes: { web: 2 },
		wait: true,
	});
});
