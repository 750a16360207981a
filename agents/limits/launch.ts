import type { LimitsSpec } from "../../core/protocol/scaling.js";
import { shellQuote } from "../../core/protocol/shell-quote.js";
import { currentEnforcement } from "./probe.js";

/**
 * The argv that starts an instance's command line inside its limits, as the app's
 * user: `runAs` (agents/isolation/launch.ts) goes right before the app's shell, after
 * what must run as the agent (systemd-run, joining the cgroup). Every form ends in
 * `exec`, so the pid the supervisor holds is the app itself (or systemd-run, which
 * execs it after creating the scope): signals and /proc samples reach the app.
 */
export function limitedArgv(command: string, limits: LimitsSpec | undefined, name: string, runAs: string[] = []): [string, ...string[]] {
	const [program = "/bin/sh", ...args] = [...runAs, "/bin/sh", "-c", `exec ${command}`];
	const plain: [string, ...string[]] = [program, ...args];
	if (!limits || (limits.memoryBytes === undefined && limits.cpu === undefined)) return plain;
	const enforcer = currentEnforcement();
	if (enforcer.mode === "systemd") {
		const [systemdRun, ...rest] = enforcer.prefix as [string, ...string[]];
		return [systemdRun, ...rest, ...systemdProperties(limits), "--", ...plain];
	}
	if (enforcer.mode === "cgroup-v2") {
		const dir = enforcer.tree.create(name, limits);
		// The shell joins the cgroup before it becomes the app: every child the app forks is inside too.
		const join = `echo $$ > ${shellQuote(`${dir}/cgroup.procs`)}`;
		if (runAs.length === 0) return ["/bin/sh", "-c", `${join} && exec ${command}`];
		// Joined as the agent (cgroup.procs is root's), then it drops to the app's user.
		return ["/bin/sh", "-c", `${join} && exec "$@"`, "sh", ...plain];
	}
	return plain;
}

/** `-p MemoryMax=… -p CPUQuota=…` for systemd-run. Pure. */
export function systemdProperties(limits: LimitsSpec): string[] {
	return [
		...(limits.memoryBytes !== undefined ? ["-p", `MemoryMax=${limits.memoryBytes}`, "-p", "MemorySwapMax=0"] : []),
		...(limits.cpu !== undefined ? ["-p", `CPUQuota=${Math.max(1, Math.round(limits.cpu * 100))}%`] : []),
	];
}
