import type { LimitsSpec } from "../../core/protocol/scaling.js";
import { shellQuote } from "../util/shell.js";
import { currentEnforcement } from "./probe.js";

/**
 * The argv that starts an instance's command line inside its limits. Every form
 * ends in `exec`, so the pid the supervisor holds is the app itself (or systemd-run,
 * which execs it after creating the scope): signals and /proc samples reach the app.
 */
export function limitedArgv(command: string, limits: LimitsSpec | undefined, name: string): [string, ...string[]] {
	const plain: [string, ...string[]] = ["/bin/sh", "-c", `exec ${command}`];
	if (!limits || (limits.memoryBytes === undefined && limits.cpu === undefined)) return plain;
	const enforcer = currentEnforcement();
	if (enforcer.mode === "systemd") {
		const [program, ...rest] = enforcer.prefix as [string, ...string[]];
		return [program, ...rest, ...systemdProperties(limits), "--", ...plain];
	}
	if (enforcer.mode === "cgroup-v2") {
		const dir = enforcer.tree.create(name, limits);
		// The shell joins the cgroup before it becomes the app: every child the app forks is inside too.
		return ["/bin/sh", "-c", `echo $$ > ${shellQuote(`${dir}/cgroup.procs`)} && exec ${command}`];
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
