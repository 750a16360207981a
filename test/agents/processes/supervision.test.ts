// The pure parts of supervision, releases and locking, by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import type { DeploymentRecord } from "../../../core/protocol/index.js";
import { lockIsStale, type LockOwner } from "../../../agents/locks/lock-owner.js";
import { releasesToDelete } from "../../../agents/deploy/releases.js";
import { pickRollbackTarget } from "../../../agents/deploy/rollback-target.js";
import { planScale } from "../../../agents/deploy/go-live-plan.js";
import { backoffMs, type CrashPolicy, decideAfterCrash } from "../../../agents/processes/crash-policy.js";
import { cpuPercent } from "../../../agents/processes/usage.js";

const record = (id: string, status: DeploymentRecord["status"]): DeploymentRecord => ({ id, app: "hello", status, commit: null, url: null, createdAt: "", finishedAt: null, error: null });
const codeOf = (fn: () => unknown) => {
	try {
		fn();
	} catch (error) {
		return [(error as { code: string }).code, (error as { hint?: string }).hint];
	}
	return null;
};

describe("crash policy", () => {
	test("restart delays double from the base up to 30 s, half of each is jitter", () => {
		assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map((n) => backoffMs(n, () => 0)), [500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
		assert.deepEqual([1, 2, 3, 6].map((n) => backoffMs(n, () => 1)), [1000, 2000, 4000, 30000]);
		assert.deepEqual([1, 2, 3].map((n) => backoffMs(n, () => 0.5, 100)), [75, 150, 300]);
	});

	test("five quick crashes in a row give up; a stable run resets the count", () => {
		const policy: CrashPolicy = { limit: 5, stableMs: 60_000, baseMs: 1000, random: () => 0 };
		assert.deepEqual(decideAfterCrash(0, 100, policy), { action: "restart", crashes: 1, delayMs: 500 });
		assert.deepEqual(decideAfterCrash(3, 100, policy), { action: "restart", crashes: 4, delayMs: 4000 });
		assert.deepEqual(decideAfterCrash(4, 59_999, policy), { action: "give-up", crashes: 5 });
		assert.deepEqual(decideAfterCrash(4, 60_000, policy), { action: "restart", crashes: 1, delayMs: 500 });
	});
});

describe("release pruning", () => {
	const ids = ["d00000001aaaa", "d00000002aaaa", "d00000003aaaa", "d00000004aaaa", "d00000005aaaa", "d00000006aaaa", "d00000007aaaa"];

	test("only recorded releases that went live beyond the newest `keep` go, never one in use", () => {
		const records = ids.map((id, i) => record(id, i === 6 ? "live" : "superseded"));
		assert.deepEqual(releasesToDelete([...ids, "notes", "dzzzzzzzzzzzz"], records, new Set()), ["d00000002aaaa", "d00000001aaaa"]);
		assert.deepEqual(releasesToDelete(ids, records, new Set(["d00000001aaaa"])), ["d00000002aaaa"]);
		assert.deepEqual(releasesToDelete(ids, records, new Set(), 2), ["d00000005aaaa", "d00000004aaaa", "d00000003aaaa", "d00000002aaaa", "d00000001aaaa"]);
		assert.deepEqual(releasesToDelete(ids.slice(0, 5), records, new Set()), []);
	});

	test("releases that never went live go; one being built stays", () => {
		const records = [record(ids[0]!, "superseded"), record(ids[1]!, "failed"), record(ids[2]!, "live"), record(ids[3]!, "interrupted"), record(ids[4]!, "building")];
		assert.deepEqual(releasesToDelete(ids.slice(0, 5), records, new Set([ids[2]!])), [ids[3], ids[1]]);
	});
});

describe("rollback target", () => {
	const records = [record("d00000001aaaa", "superseded"), record("d00000002aaaa", "failed"), record("d00000003aaaa", "superseded"), record("d00000004aaaa", "live")];
	const kept = new Set(["d00000003aaaa", "d00000004aaaa"]);

	test("the default is the newest kept release before the live one", () => {
		assert.equal(pickRollbackTarget("hello", records, "d00000004aaaa", kept).id, "d00000003aaaa");
		assert.equal(pickRollbackTarget("hello", records, "d00000004aaaa", kept, "d00000003aaaa").id, "d00000003aaaa");
	});

	test("clear errors: pruned (with what is left), never live, already live, unknown, nothing left", () => {
		assert.deepEqual(codeOf(() => pickRollbackTarget("hello", records, "d00000004aaaa", kept, "d00000001aaaa")), ["RELEASE_PRUNED", "Releases of hello you can roll back to: d00000003aaaa."]);
		assert.equal(codeOf(() => pickRollbackTarget("hello", records, "d00000004aaaa", kept, "d00000002aaaa"))?.[0], "NOT_A_RELEASE");
		assert.equal(codeOf(() => pickRollbackTarget("hello", records, "d00000004aaaa", kept, "d00000004aaaa"))?.[0], "ALREADY_LIVE");
		assert.equal(codeOf(() => pickRollbackTarget("hello", records, "d00000004aaaa", kept, "d00000009aaaa"))?.[0], "UNKNOWN_DEPLOYMENT");
		assert.equal(codeOf(() => pickRollbackTarget("hello", records, "d00000004aaaa", new Set(["d00000004aaaa"])))?.[0], "NO_RELEASE_TO_ROLL_BACK");
	});
});

describe("deploy lock staleness", () => {
	const owner: LockOwner = { pid: 42, startTime: "1000", operation: "deploy", deploymentId: "d00000001aaaa", since: "" };

	test("a lock is stale when its daemon is gone or it never got an owner in time", () => {
		assert.equal(lockIsStale(owner, 0, () => true), false);
		assert.equal(lockIsStale(owner, 0, () => false), true);
		assert.equal(lockIsStale(null, 1_000, () => true), false);
		assert.equal(lockIsStale(null, 10_000, () => true), true);
	});
});

describe("scale and usage plans", () => {
	test("instances to add and to remove per process", () => {
		assert.deepEqual(planScale({ web: 1, worker: 2 }, { web: 3, worker: 1 }), { add: { web: 2 }, remove: { worker: 1 } });
		assert.deepEqual(planScale({ web: 2 }, { web: 2 }), { add: {}, remove: {} });
	});

	test("CPU percent of one core between two samples", () => {
		assert.equal(cpuPercent({ cpuTicks: 100, atMs: 0 }, { cpuTicks: 150, atMs: 1000 }), 50);
		assert.equal(cpuPercent({ cpuTicks: 0, atMs: 0 }, { cpuTicks: 200, atMs: 1000 }), 200);
		assert.equal(cpuPercent({ cpuTicks: 0, atMs: 5 }, { cpuTicks: 1, atMs: 5 }), 0);
	});
});
