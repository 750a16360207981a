// Issue 13, items 17 and 18: processes the agent lost track of (instances a lost
// state.json listed, a build a killed daemon left running). The pure decisions, by
// exact equality; test/agents/daemon/lifecycle.test.ts runs them live.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { mayKillGroup } from "../../../agents/build/build-group.js";
import { releaseOfEnviron, untrackedGroups } from "../../../agents/processes/untracked.js";

const releases = "/var/lib/deploy/apps/shop/releases";
const environ = (...entries: string[]) => `${entries.join("\0")}\0`;

describe("untracked instances", () => {
	test("an instance's environment names its release by PATH's first entry", () => {
		const instance = ["HOME=/x", "PORT=4000", "HOST=127.0.0.1"];
		assert.equal(releaseOfEnviron(environ(...instance, `PATH=${releases}/dm1aaaa/node_modules/.bin:/usr/bin:/bin`, "A=b=c"), releases), "dm1aaaa");
		// Another app's release, a build (the runtime's bin first), a login shell: none.
		assert.equal(releaseOfEnviron(environ(...instance, "PATH=/var/lib/deploy/apps/blog/releases/dm1aaaa/node_modules/.bin:/bin"), releases), null);
		assert.equal(releaseOfEnviron(environ(...instance, `PATH=/var/lib/deploy/runtimes/node-v22/bin:${releases}/dm1aaaa/node_modules/.bin`), releases), null);
		assert.equal(releaseOfEnviron(environ(...instance, "PATH=/usr/local/bin:/usr/bin"), releases), null);
		assert.equal(releaseOfEnviron(environ(...instance, `PATH=${releases}/dm1aaaa/src`), releases), null);
		assert.equal(releaseOfEnviron("", releases), null);
		// A build's `npm run` puts the release's .bin first too, but it has no PORT and HOST of an instance.
		assert.equal(releaseOfEnviron(environ(`PATH=${releases}/dm1aaaa/node_modules/.bin:/bin`), releases), null);
		assert.equal(releaseOfEnviron(environ("PORT=4000", "HOST=0.0.0.0", `PATH=${releases}/dm1aaaa/node_modules/.bin:/bin`), releases), null);
	});

	test("groups of other releases that no tracked instance leads are stopped, each once; the live release's never", () => {
		const found = [
			{ pid: 100, pgid: 100, release: "old" },
			{ pid: 101, pgid: 100, release: "old" },
			{ pid: 200, pgid: 200, release: "old" },
			{ pid: 300, pgid: 300, release: "live" },
			{ pid: 400, pgid: 400, release: "older" },
		];
		assert.deepEqual(untrackedGroups(found, new Set([200]), "live"), [
			{ pgid: 100, release: "old" },
			{ pgid: 400, release: "older" },
		]);
		// A preview removed (nothing stays live): every untracked group goes.
		assert.deepEqual(
			untrackedGroups(found, new Set(), null).map((g) => g.pgid),
			[100, 200, 300, 400],
		);
	});
});

describe("a build left running by a killed daemon", () => {
	const noted = { pgid: 4242, startTime: "98765", boot: "boot-a" };

	test("its group is killed when its leader is the one noted, or gone in the same boot", () => {
		assert.equal(mayKillGroup(noted, { boot: "boot-a", leaderStartTime: "98765" }), true);
		assert.equal(mayKillGroup(noted, { boot: "boot-a", leaderStartTime: null }), true);
	});

	test("never a process that got the number later, nor anything after a reboot or without a boot id to compare", () => {
		assert.equal(mayKillGroup(noted, { boot: "boot-a", leaderStartTime: "11111" }), false);
		assert.equal(mayKillGroup(noted, { boot: "boot-b", leaderStartTime: "98765" }), false);
		assert.equal(mayKillGroup(noted, { boot: "boot-b", leaderStartTime: null }), false);
		assert.equal(mayKillGroup({ ...noted, boot: null }, { boot: null, leaderStartTime: null }), false);
		assert.equal(mayKillGroup({ ...noted, boot: null }, { boot: null, leaderStartTime: "98765" }), true);
	});
});
