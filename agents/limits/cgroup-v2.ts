import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LimitsSpec } from "../../core/protocol/scaling.js";

/** The period cpu.max quotas are written against (the kernel's default, 100 ms). */
const CPU_PERIOD_US = 100_000;

/** The cgroup2 mount point, from /proc/self/mountinfo text; null on a v1-only host. Pure. */
export function cgroup2Mount(mountinfo: string): string | null {
	for (const line of mountinfo.split("\n")) {
		const [mountFields, fsFields] = line.split(" - ");
		if (fsFields?.startsWith("cgroup2 ")) return mountFields?.split(" ")[4] ?? null;
	}
	return null;
}

/** This process's v2 cgroup path (the `0::` line of /proc/self/cgroup). Pure. */
export function ownCgroupPath(procCgroup: string): string | null {
	const line = procCgroup.split("\n").find((l) => l.startsWith("0::"));
	return line ? line.slice(3) : null;
}

/** memory.max and cpu.max values for a limit. Pure. */
export function cgroupFiles(limits: LimitsSpec): Record<string, string> {
	return {
		...(limits.memoryBytes !== undefined ? { "memory.max": String(limits.memoryBytes), "memory.swap.max": "0" } : {}),
		...(limits.cpu !== undefined ? { "cpu.max": `${Math.max(1000, Math.round(limits.cpu * CPU_PERIOD_US))} ${CPU_PERIOD_US}` } : {}),
	};
}

/**
 * A delegated cgroup v2 subtree for instances: `<the agent's cgroup>/deploy-instances`.
 * v2 lets a cgroup hand controllers to its children only when it holds no process
 * itself, so the daemon first moves itself into a leaf (`deploy-agent`) beside it.
 * This works where the agent's cgroup is delegated to its user (a systemd unit with
 * Delegate=yes, or root on a pure v2 host); `prepare` says why when it does not.
 */
export class CgroupV2Tree {
	constructor(readonly root: string) {}

	/** Returns the subtree, or the reason there is none. */
	static prepare(): CgroupV2Tree | { reason: string } {
		try {
			const mount = cgroup2Mount(readFileSync("/proc/self/mountinfo", "utf8"));
			if (!mount) return { reason: "no cgroup2 file system is mounted (cgroups v1 host)" };
			const own = ownCgroupPath(readFileSync("/proc/self/cgroup", "utf8"));
			if (own === null) return { reason: "this process has no cgroup v2 path" };
			const base = join(mount, own);
			const available = readFileSync(join(base, "cgroup.controllers"), "utf8").trim().split(/\s+/);
			const missing = ["memory", "cpu"].filter((c) => !available.includes(c));
			if (missing.length > 0) return { reason: `the agent's cgroup (${base}) does not offer the ${missing.join(" and ")} controller(s) (available: ${available.join(" ") || "none"})` };
			const leaf = join(base, "deploy-agent");
			if (!existsSync(leaf)) mkdirSync(leaf);
			writeFileSync(join(leaf, "cgroup.procs"), String(process.pid));
			writeFileSync(join(base, "cgroup.subtree_control"), "+memory +cpu");
			const root = join(base, "deploy-instances");
			if (!existsSync(root)) mkdirSync(root);
			writeFileSync(join(root, "cgroup.subtree_control"), "+memory +cpu");
			const tree = new CgroupV2Tree(root);
			// A real limit on a throwaway cgroup: the files exist and accept values.
			const probe = tree.create(`probe-${process.pid}`, { memoryBytes: 64 * 1024 ** 2, cpu: 0.5 });
			rmdirSync(probe);
			return tree;
		} catch (error) {
			return { reason: `cgroup v2 is not delegated to the agent: ${(error as Error).message}` };
		}
	}

	/** A fresh cgroup for one instance, with its limits written; an empty one of the same name is replaced. */
	create(name: string, limits: LimitsSpec): string {
		const dir = join(this.root, name);
		try {
			rmdirSync(dir);
		} catch {
			// absent, or a lingering process of the same instance still in it: then it is reused
		}
		if (!existsSync(dir)) mkdirSync(dir);
		for (const [file, value] of Object.entries(cgroupFiles(limits))) {
			// memory.swap.max is missing where the kernel has no swap accounting: the memory limit still holds.
			if (file === "memory.swap.max" && !existsSync(join(dir, file))) continue;
			writeFileSync(join(dir, file), value);
		}
		return dir;
	}
}
