// How instance limits become argv and cgroup files, and what the probe finds on this machine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "vitest";
import { execa } from "execa";
import { cgroup2Mount, cgroupFiles, ownCgroupPath } from "../../../agents/limits/cgroup-v2.js";
import { limitedArgv, systemdProperties } from "../../../agents/limits/launch.js";
import { probeEnforcement } from "../../../agents/limits/probe.js";
import { overMemoryLimit } from "../../../agents/limits/watch.js";

describe("resource limits", () => {
	test("cgroup v2: the mount from mountinfo, our path from /proc/self/cgroup, memory.max and cpu.max values", () => {
		const mountinfo = "30 1 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n31 30 0:27 / /proc rw - proc proc rw";
		assert.equal(cgroup2Mount(mountinfo), "/sys/fs/cgroup");
		assert.equal(cgroup2Mount("31 30 0:27 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory"), null);
		assert.equal(ownCgroupPath("0::/system.slice/deploy-agent.service\n"), "/system.slice/deploy-agent.service");
		assert.equal(ownCgroupPath("4:memory:/x\n"), null);
		assert.deepEqual(cgroupFiles({ memoryBytes: 512 * 1024 ** 2, cpu: 0.5 }), { "memory.max": String(512 * 1024 ** 2), "memory.swap.max": "0", "cpu.max": "50000 100000" });
		assert.deepEqual(cgroupFiles({ cpu: 2 }), { "cpu.max": "200000 100000" });
	});

	test("systemd: MemoryMax, no swap, CPUQuota in percent of a core", () => {
		assert.deepEqual(systemdProperties({ memoryBytes: 268435456, cpu: 0.5 }), ["-p", "MemoryMax=268435456", "-p", "MemorySwapMax=0", "-p", "CPUQuota=50%"]);
		assert.deepEqual(systemdProperties({ cpu: 1.5 }), ["-p", "CPUQuota=150%"]);
	});

	test("an instance without limits runs its command line as before; watch-only over its limit means over", () => {
		assert.deepEqual(limitedArgv("node server.js", undefined, "app.web.3000"), ["/bin/sh", "-c", "exec node server.js"]);
		assert.equal(overMemoryLimit(101, 100), true);
		assert.equal(overMemoryLimit(100, 100), false);
	});

	test("the probe's answer matches what this machine allows, and says why", async () => {
		const enforcer = await probeEnforcement({});
		const systemdWorks = (await execa("systemd-run", ["--scope", "--quiet", "--collect", "-p", "MemoryMax=64M", "true"], { reject: false })).exitCode === 0;
		const mount = cgroup2Mount(readFileSync("/proc/self/mountinfo", "utf8"));
		const own = ownCgroupPath(readFileSync("/proc/self/cgroup", "utf8"));
		let v2Controllers = "";
		try {
			v2Controllers = mount && own !== null ? readFileSync(`${mount}${own}/cgroup.controllers`, "utf8") : "";
		} catch {
			// no controllers file: no v2 here
		}
		if (systemdWorks) assert.equal(enforcer.mode, "systemd", enforcer.reason);
		else if (!/\bmemory\b/.test(v2Controllers)) {
			assert.equal(enforcer.mode, "watch", enforcer.reason);
			assert.match(enforcer.reason, /systemd-run --scope does not work here .*; .*(cgroup|cgroups v1).* restarts an instance over its limit; CPU is not limited/);
		}
		assert.deepEqual((await probeEnforcement({ DEPLOY_AGENT_LIMITS: "watch" })).mode, "watch");
	});
});
