// Issue 13, item 16: an app's deployments are ordered by the number the agent gives
// each (seq), not by their time-based ids: a clock set back must not reorder them.
// The pure parts, by exact equality.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { compareDeployOrder, newestFirst, newestFirstOfApp, nextSeq } from "../../../agents/deploy/deploy-order.js";
import { releasesToDelete } from "../../../agents/deploy/releases.js";
import { pickRollbackTarget } from "../../../agents/deploy/rollback-target.js";
import type { DeploymentRecord } from "../../../core/protocol/index.js";

const record = (id: string, seq: number | undefined, status: DeploymentRecord["status"] = "superseded", app = "shop", createdAt = ""): DeploymentRecord => ({
	id,
	app,
	...(seq === undefined ? {} : { seq }),
	status,
	commit: null,
	url: null,
	createdAt,
	finishedAt: null,
	error: null,
});
const ids = (records: DeploymentRecord[]) => records.map((r) => r.id);

// Deployed in this order; the clock went back a day between the third and the fourth,
// so the ids (base36 time) of the last three sort before those of the first three.
const beforeJump = ["dm0000001aaaa", "dm0000002aaaa", "dm0000003aaaa"];
const afterJump = ["dl0000001aaaa", "dl0000002aaaa", "dl0000003aaaa"];
const deployed = [...beforeJump, ...afterJump];

describe("deploy order", () => {
	test("numbered records sort by their number, whatever their ids say", () => {
		const records = deployed.map((id, i) => record(id, i + 1));
		assert.deepEqual(ids(newestFirstOfApp(records)), [...deployed].reverse());
		assert.deepEqual(ids(newestFirstOfApp([...records].reverse())), [...deployed].reverse());
	});

	test("records of an older agent (no number) come before every numbered one, by id among themselves", () => {
		const legacy = [record("dk0000002aaaa", undefined), record("dk0000001aaaa", undefined)];
		const numbered = [record("dj0000001aaaa", 1), record("dj0000002aaaa", 2)];
		assert.deepEqual(ids(newestFirstOfApp([...numbered, ...legacy])), ["dj0000002aaaa", "dj0000001aaaa", "dk0000002aaaa", "dk0000001aaaa"]);
		assert.equal(compareDeployOrder({ id: "dz", seq: undefined }, { id: "da", seq: 1 }), -1);
	});

	test("the next number is one more than the highest; the first is 1, also after unnumbered records", () => {
		assert.equal(nextSeq([]), 1);
		assert.equal(nextSeq([record("dk0000001aaaa", undefined)]), 1);
		assert.equal(nextSeq([record("a", 3), record("b", 7), record("c", undefined)]), 8);
	});

	test("across apps: each app keeps its own order, apps interleave by creation time", () => {
		const shop = [record("dm0000001aaaa", 1, "superseded", "shop", "2025-01-02T00:00:00.000Z"), record("dl0000001aaaa", 2, "live", "shop", "2025-01-01T00:00:00.000Z")];
		const blog = [record("dm0000005aaaa", 1, "live", "blog", "2025-01-01T12:00:00.000Z")];
		assert.deepEqual(
			newestFirst([...shop, ...blog]).map((r) => `${r.app}#${r.seq}`),
			// shop#2's time is the oldest, yet it stays before shop#1; blog#1 interleaves by time against each head.
			["blog#1", "shop#2", "shop#1"],
		);
	});
});

describe("pruning and rollback follow deploy order", () => {
	const records = deployed.map((id, i) => record(id, i + 1, i === deployed.length - 1 ? "live" : "superseded"));

	test("pruning keeps the newest deployed releases, not the newest ids", () => {
		assert.deepEqual(releasesToDelete(deployed, records, new Set([afterJump[2]!]), 3), [...beforeJump].reverse());
	});

	test("the default rollback target is the release deployed just before the live one", () => {
		const kept = new Set(deployed);
		assert.equal(pickRollbackTarget("shop", records, afterJump[2]!, kept).id, afterJump[1]);
		// Live is the first after the jump: the one before it is the last before the jump, though its id is newer.
		const back = deployed.slice(0, 4).map((id, i) => record(id, i + 1, i === 3 ? "live" : "superseded"));
		assert.equal(pickRollbackTarget("shop", back, afterJump[0]!, kept).id, beforeJump[2]);
	});
});
