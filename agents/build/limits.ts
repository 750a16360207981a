import { execa } from "execa";

export interface BuildLimits {
	/** The argv that runs a shell command line under the limits. */
	argv(command: string): [string, ...string[]];
	/** Environment additions (NODE_OPTIONS for the heap cap), merged over the build's env. */
	env(base: Record<string, string>): Record<string, string>;
	/** The honest line for the build log: what is enforced and what is not. */
	description: string;
}

let systemdUsable: Promise<boolean> | null = null;

/** Whether `systemd-run --scope` works here (systemd as init, a bus we may use): probed once. */
function probeSystemd(): Promise<boolean> {
	systemdUsable ??= execa("systemd-run", ["--scope", "--quiet", "--collect", "-p", "MemoryMax=64M", "true"], { reject: false, timeout: 5_000 }).then(
		(r) => r.exitCode === 0,
		() => false,
	);
	return systemdUsable;
}

/**
 * Memory and CPU limits for installs and builds. With systemd: a transient scope
 * (cgroup) with MemoryMax and CPUQuota, enforced by the kernel for every process of
 * the build. Without it: `nice` so serving apps win the CPU, and a V8 heap cap for
 * Node processes (NODE_OPTIONS), which other programs ignore. The description says which.
 */
export async function buildLimits(memoryMb: number, cpus: number): Promise<BuildLimits> {
	const cpuQuota = `${Math.max(50, Math.round((cpus > 1 ? cpus - 0.5 : 1) * 100))}%`;
	if (await probeSystemd()) {
		return {
			argv: (command) => ["systemd-run", "--scope", "--quiet", "--collect", "-p", `MemoryMax=${memoryMb}M`, "-p", `CPUQuota=${cpuQuota}`, "--", "/bin/sh", "-c", command],
			env: (base) => base,
			description: `limits: memory ${memoryMb} MiB and CPU ${cpuQuota} enforced for the whole build (systemd scope)`,
		};
	}
	const heap = Math.max(256, Math.floor(memoryMb * 0.75));
	return {
		argv: (command) => ["nice", "-n", "10", "/bin/sh", "-c", command],
		env: (base) => ({ ...base, NODE_OPTIONS: [base.NODE_OPTIONS, `--max-old-space-size=${heap}`].filter(Boolean).join(" ") }),
		description: `limits: no systemd here, so no cgroup: Node's heap is capped at ${heap} MiB (NODE_OPTIONS) and the build runs at nice 10; total memory and CPU are NOT enforced`,
	};
}

