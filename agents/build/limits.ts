import { execa } from "execa";

export interface BuildLimits {
	/** The argv that runs `inner` (`[...runAs, "/bin/sh", "-c", command]`) under the limits. */
	argv(inner: string[]): [string, ...string[]];
	/** Environment additions (NODE_OPTIONS for the heap cap), merged over the build's env. */
	env(base: Record<string, string>): Record<string, string>;
	/** The honest line for the build log: what is enforced and what is not. */
	description: string;
}

/** How `systemd-run` is called here: the system manager, or the user's own (`--user`) for a rootless agent. */
export interface SystemdScopes {
	/** `systemd-run [--user] --scope --quiet --collect`: add `-p` properties, then `--` and the command. */
	prefix: string[];
}

let systemdProbe: Promise<SystemdScopes | { reason: string }> | null = null;

/**
 * Whether `systemd-run --scope` with a memory limit works here (systemd as init, a bus
 * we may use), tried as the system manager and then as the user's: probed once, and
 * shared by builds and app instances (agents/limits/probe.ts).
 */
export function probeSystemdScopes(): Promise<SystemdScopes | { reason: string }> {
	systemdProbe ??= (async () => {
		let why = "";
		for (const user of process.getuid?.() === 0 ? [false] : [false, true]) {
			const prefix = ["systemd-run", ...(user ? ["--user"] : []), "--scope", "--quiet", "--collect"];
			const result = await execa(prefix[0]!, [...prefix.slice(1), "-p", "MemoryMax=64M", "-p", "CPUQuota=50%", "true"], { reject: false, timeout: 5_000 }).catch((error: Error) => ({
				exitCode: 1,
				stderr: error.message,
			}));
			if (result.exitCode === 0) return { prefix };
			why = String(result.stderr).trim().split("\n").at(-1) || `exit code ${result.exitCode}`;
		}
		return { reason: `systemd-run --scope does not work here (${why})` };
	})();
	return systemdProbe;
}


/**
 * Memory and CPU limits for installs and builds. With systemd: a transient scope
 * (cgroup) with MemoryMax and CPUQuota, enforced by the kernel for every process of
 * the build. Without it: `nice` so serving apps win the CPU, and a V8 heap cap for
 * Node processes (NODE_OPTIONS), which other programs ignore. The description says which.
 */
export async function buildLimits(memoryMb: number, cpus: number): Promise<BuildLimits> {
	const cpuQuota = `${Math.max(50, Math.round((cpus > 1 ? cpus - 0.5 : 1) * 100))}%`;
	const systemd = await probeSystemdScopes();
	if ("prefix" in systemd) {
		const [program, ...rest] = systemd.prefix as [string, ...string[]];
		return {
			argv: (inner) => [program, ...rest, "-p", `MemoryMax=${memoryMb}M`, "-p", `CPUQuota=${cpuQuota}`, "--", ...inner],
			env: (base) => base,
			description: `limits: memory ${memoryMb} MiB and CPU ${cpuQuota} enforced for the whole build (systemd scope)`,
		};
	}
	const heap = Math.max(256, Math.floor(memoryMb * 0.75));
	return {
		argv: (inner) => ["nice", "-n", "10", ...inner],
		env: (base) => ({ ...base, NODE_OPTIONS: [base.NODE_OPTIONS, `--max-old-space-size=${heap}`].filter(Boolean).join(" ") }),
		description: `limits: no systemd here, so no cgroup: Node's heap is capped at ${heap} MiB (NODE_OPTIONS) and the build runs at nice 10; total memory and CPU are NOT enforced`,
	};
}

