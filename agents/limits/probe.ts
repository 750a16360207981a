import type { LimitEnforcement } from "../../core/protocol/scaling.js";
import { probeSystemdScopes } from "../build/limits.js";
import { CgroupV2Tree } from "./cgroup-v2.js";

/** How instances get their limits on this server: the mode `deploy doctor` reports, plus what launching needs. */
export type Enforcer = ({ mode: "systemd"; prefix: string[] } | { mode: "cgroup-v2"; tree: CgroupV2Tree } | { mode: "watch" }) & LimitEnforcement;

let enforcer: Enforcer | null = null;

/**
 * Decided once at daemon start (agents/daemon/daemon.ts): a systemd scope per instance
 * where systemd-run works (nothing to set up), else a cgroup of a delegated v2
 * subtree, else watch-only (the limit watcher restarts an instance over its memory
 * limit; CPU is not limited). DEPLOY_AGENT_LIMITS=watch forces watch-only.
 */
export async function probeEnforcement(env: NodeJS.ProcessEnv = process.env): Promise<Enforcer> {
	if (env.DEPLOY_AGENT_LIMITS === "watch") {
		enforcer = { mode: "watch", reason: "DEPLOY_AGENT_LIMITS=watch: the agent watches memory and restarts an instance over its limit; CPU is not limited" };
		return enforcer;
	}
	const systemd = await probeSystemdScopes();
	if ("prefix" in systemd) {
		enforcer = { mode: "systemd", prefix: systemd.prefix, reason: `each instance runs in a systemd scope (${systemd.prefix.join(" ")}) with MemoryMax and CPUQuota: the kernel enforces both` };
		return enforcer;
	}
	const tree = CgroupV2Tree.prepare();
	if (tree instanceof CgroupV2Tree) {
		enforcer = { mode: "cgroup-v2", tree, reason: `each instance runs in its own cgroup under ${tree.root} with memory.max and cpu.max: the kernel enforces both` };
		return enforcer;
	}
	enforcer = {
		mode: "watch",
		reason: `${systemd.reason}; ${tree.reason}. So the agent samples memory every few seconds and restarts an instance over its limit; CPU is not limited`,
	};
	return enforcer;
}

/** The mode decided at start; watch-only until the probe ran (instances adopted before it keep no kernel limit). */
export function currentEnforcement(): Enforcer {
	return enforcer ?? { mode: "watch", reason: "the limits probe has not run yet" };
}
