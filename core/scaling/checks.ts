import { formatSize } from "../protocol/size.js";
import type { ServerHealth } from "../protocol/health.js";
import type { LimitEnforcement } from "../protocol/scaling.js";

export type CheckStatus = "ok" | "warn" | "fail";

/** One line of `deploy doctor`: what was checked, how it is, what to do about it. */
export interface DoctorCheck {
	name: "ssh" | "agent" | "proxy" | "limits" | "disk" | "objects" | "node" | "clock" | "boot" | "isolation" | "ports" | "secrets";
	status: CheckStatus;
	message: string;
	hint?: string;
}

export interface DoctorReport {
	server: string;
	/** False when any check failed (the CLI exits 1). */
	ok: boolean;
	checks: DoctorCheck[];
	/** The server's clock minus this machine's, in ms (null when the server did not answer). */
	clockSkewMs: number | null;
	enforcement: LimitEnforcement | null;
}

/** Clock skew past these is worth a warning (ACME, token and cache TTLs) / a failure (certificates look not yet valid or expired). */
export const SKEW_WARN_MS = 3_000;
export const SKEW_FAIL_MS = 300_000;
const GIB = 1024 ** 3;

const check = (name: DoctorCheck["name"], status: CheckStatus, message: string, hint?: string): DoctorCheck => ({ name, status, message, ...(hint ? { hint } : {}) });

/** The server's clock against ours, from the server's time and the local times around the call (the midpoint cancels the round trip). Pure. */
export function clockSkewMs(serverTimeMs: number, sentAtMs: number, receivedAtMs: number): number {
	return Math.round(serverTimeMs - (sentAtMs + receivedAtMs) / 2);
}

export function clockCheck(skewMs: number, roundTripMs: number): DoctorCheck {
	const size = Math.abs(skewMs);
	const says = `the server's clock is ${size} ms ${skewMs >= 0 ? "ahead of" : "behind"} this machine's (round trip ${roundTripMs} ms)`;
	const hint = "Enable time sync on the server (timedatectl set-ntp true, or chrony): ACME certificates, token expiries and cache TTLs depend on it.";
	if (size > SKEW_FAIL_MS) return check("clock", "fail", says, hint);
	if (size > SKEW_WARN_MS) return check("clock", "warn", says, hint);
	return check("clock", "ok", says);
}

export function nodeCheck(version: string): DoctorCheck {
	const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
	if (major >= 20) return check("node", "ok", `Node ${version} (20 or newer is needed)`);
	return check("node", "fail", `Node ${version} is older than 20, which the agent needs`, "`deploy servers upgrade <server>` installs the agent's own Node.js LTS beside it.");
}

/** Issue 12: whether the agent, the proxy and the apps come back after a reboot. */
export function bootCheck(boot: { systemd: "running" | "offline" | "absent"; units: string[]; otherHome: string | null } | undefined): DoctorCheck {
	const nothing = "nothing starts the agent, the proxy or the apps after a reboot until a deploy command reaches the server";
	if (!boot) return check("boot", "warn", `this agent predates boot units: ${nothing}`, "`deploy servers upgrade <server>` installs them.");
	if (boot.otherHome) return check("boot", "warn", `this agent's home is ${boot.otherHome} (DEPLOY_AGENT_HOME), not the system install's: ${nothing}`);
	if (boot.units.length < 2) return check("boot", "warn", `the boot units are not installed and enabled: ${nothing}`, "`deploy servers upgrade <server>` installs them.");
	if (boot.systemd !== "running") return check("boot", "warn", `${new Intl.ListFormat("en").format(boot.units)} are enabled, but systemd is not running here (a container or a chroot?): ${nothing}`);
	return check("boot", "ok", `${new Intl.ListFormat("en").format(boot.units)} are enabled: systemd starts the proxy, the agent and every live app at boot`);
}

export function diskCheck(disk: ServerHealth["disk"]): DoctorCheck {
	const share = disk.totalBytes > 0 ? disk.freeBytes / disk.totalBytes : 0;
	const says = `${formatSize(disk.freeBytes)} free of ${formatSize(disk.totalBytes)} (${Math.round(share * 100)}%) on ${disk.path}`;
	const hint = "Free space: `deploy cache clear`, lower `releases.keep` in deploy.yaml, or grow the disk.";
	if (disk.freeBytes < GIB || share < 0.05) return check("disk", "fail", says, hint);
	if (disk.freeBytes < 5 * GIB || share < 0.15) return check("disk", "warn", says, hint);
	return check("disk", "ok", says);
}

/** The uploaded files' store: how big, and how much of it no kept release uses (what `deploy cache clear` frees). */
export function objectsCheck(objects: { store: { objects: number; bytes: number }; unused: { objects: number; bytes: number } } | undefined): DoctorCheck {
	if (!objects) return check("objects", "warn", "the agent did not measure its store of uploaded files (an older agent, or a release manifest it cannot read: see agent.log)", "`deploy servers upgrade <server>` brings the agent up to date.");
	const { store, unused } = objects;
	const says = `${store.objects} uploaded files stored (${formatSize(store.bytes)}); ${unused.objects} of them (${formatSize(unused.bytes)}) used by no kept release`;
	// Collected when releases are pruned; a share this large means nothing pruned for a while.
	if (unused.bytes >= GIB) return check("objects", "warn", says, "`deploy cache clear` removes them.");
	return check("objects", "ok", says);
}

export function agentCheck(health: ServerHealth): DoctorCheck {
	const { agent, instances } = health;
	return check(
		"agent",
		instances.crashed > 0 ? "warn" : "ok",
		`agent ${agent.version.slice(0, 12)} running (pid ${agent.pid}, up ${agent.uptimeSeconds} s); ${instances.running} of ${instances.total} instance(s) running${instances.crashed > 0 ? `, ${instances.crashed} crashed or restarting` : ""}`,
		instances.crashed > 0 ? "`deploy ps` shows which instance and why; `deploy logs` shows its output." : undefined,
	);
}

export function proxyCheck(proxy: ServerHealth["proxy"]): DoctorCheck {
	if (!proxy) return check("proxy", "fail", "no proxy is set up on this server", "Run `deploy servers add` for it again: that installs and starts the proxy.");
	if (!proxy.running) return check("proxy", "fail", `${proxy.kind} is not running${proxy.message ? `: ${proxy.message}` : ""}`, "Look at the agent's log (agent.log in its home); a redeploy or an agent restart starts it again.");
	return check("proxy", "ok", `${proxy.kind} is running`);
}

export function limitsCheck(enforcement: LimitEnforcement): DoctorCheck {
	if (enforcement.mode === "watch") {
		return check(
			"limits",
			"warn",
			`watch: ${enforcement.reason}`,
			"For kernel-enforced limits, run the agent where systemd-run --scope works (systemd as init; root, or a user manager) or in a cgroup v2 subtree delegated to it.",
		);
	}
	return check("limits", "ok", `${enforcement.mode}: ${enforcement.reason}`);
}

export function report(server: string, checks: DoctorCheck[], clockSkew: number | null, enforcement: LimitEnforcement | null): DoctorReport {
	return { server, ok: checks.every((c) => c.status !== "fail"), checks, clockSkewMs: clockSkew, enforcement };
}
