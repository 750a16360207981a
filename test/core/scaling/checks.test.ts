// `deploy doctor`'s checks, pure: what each reading becomes (ok/warn/fail and a hint).
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { bootCheck, clockCheck, clockSkewMs, diskCheck, limitsCheck, nodeCheck, objectsCheck, proxyCheck, report } from "../../../core/scaling/checks.js";

const GIB = 1024 ** 3;

describe("doctor checks", () => {
	test("clock skew is measured against the middle of the round trip", () => {
		assert.equal(clockSkewMs(10_500, 10_000, 10_200), 400);
		assert.equal(clockSkewMs(9_000, 10_000, 10_200), -1_100);
	});

	test("the clock is ok up to 3 s, a warning past it, a failure past 5 minutes", () => {
		assert.equal(clockCheck(2_999, 5).status, "ok");
		const warn = clockCheck(-4_000, 5);
		assert.equal(warn.status, "warn");
		assert.match(warn.message, /4000 ms behind this machine's/);
		assert.match(warn.hint ?? "", /time sync/);
		assert.equal(clockCheck(300_001, 5).status, "fail");
	});

	test("the store of uploaded files: its size and what no kept release uses; a warning from 1 GiB unused, or when the agent did not measure it", () => {
		const MIB = 1024 ** 2;
		assert.deepEqual(objectsCheck({ store: { objects: 1200, bytes: 50 * MIB }, unused: { objects: 3, bytes: 1.5 * MIB } }), {
			name: "objects",
			status: "ok",
			message: "1200 uploaded files stored (50 MiB); 3 of them (1.5 MiB) used by no kept release",
		});
		const big = objectsCheck({ store: { objects: 9000, bytes: 3 * GIB }, unused: { objects: 4000, bytes: GIB } });
		assert.equal(big.status, "warn");
		assert.match(big.hint ?? "", /deploy cache clear/);
		const unknown = objectsCheck(undefined);
		assert.equal(unknown.status, "warn");
		assert.match(unknown.message, /did not measure/);
	});

	test("Node 20 or newer", () => {
		assert.equal(nodeCheck("v20.5.0").status, "ok");
		assert.equal(nodeCheck("v22.1.0").status, "ok");
		const old = nodeCheck("v18.19.0");
		assert.equal(old.status, "fail");
		assert.match(old.hint ?? "", /deploy servers upgrade/);
	});

	test("boot: ok only with both units enabled and systemd running; every other case says nothing starts at boot", () => {
		const units = ["deploy-proxy.service", "deploy-agent.service"];
		assert.equal(bootCheck({ systemd: "running", units, otherHome: null }).status, "ok");
		for (const boot of [
			{ systemd: "offline" as const, units, otherHome: null },
			{ systemd: "running" as const, units: units.slice(0, 1), otherHome: null },
			{ systemd: "running" as const, units: [], otherHome: "/tmp/agent" },
			undefined,
		]) {
			const result = bootCheck(boot);
			assert.equal(result.status, "warn", JSON.stringify(boot));
			assert.match(result.message, /nothing starts the agent, the proxy or the apps after a reboot/);
		}
		assert.match(bootCheck({ systemd: "offline", units, otherHome: null }).message, /systemd is not running here/);
		assert.match(bootCheck(undefined).hint ?? "", /deploy servers upgrade/);
	});

	test("disk: fail under 1 GiB or 5%, warn under 5 GiB or 15%", () => {
		const disk = (free: number, total: number) => diskCheck({ path: "/var/lib/deploy", freeBytes: free * GIB, totalBytes: total * GIB }).status;
		assert.deepEqual([disk(50, 100), disk(4.5, 20), disk(10, 100), disk(0.5, 2)], ["ok", "warn", "warn", "fail"]);
		assert.equal(disk(3, 100), "fail", "3% free");
	});

	test("proxy: none set up or not running fails with a hint", () => {
		assert.equal(proxyCheck({ kind: "caddy", running: true }).status, "ok");
		assert.equal(proxyCheck(null).status, "fail");
		const down = proxyCheck({ kind: "caddy", running: false, message: "exited with code 1" });
		assert.equal(down.status, "fail");
		assert.match(down.message, /caddy is not running: exited with code 1/);
	});

	test("limits: kernel enforcement is ok, watch-only a warning saying how to get more", () => {
		assert.equal(limitsCheck({ mode: "systemd", reason: "scopes" }).status, "ok");
		const watch = limitsCheck({ mode: "watch", reason: "no systemd, no delegated cgroup" });
		assert.equal(watch.status, "warn");
		assert.match(watch.message, /^watch: no systemd/);
		assert.match(watch.hint ?? "", /systemd-run --scope|cgroup v2/);
	});

	test("a report is ok unless a check failed; warnings do not fail it", () => {
		assert.equal(report("prod", [clockCheck(4_000, 1), nodeCheck("v20.0.0")], 4_000, null).ok, true);
		assert.equal(report("prod", [nodeCheck("v18.0.0")], null, null).ok, false);
	});
});
