// Issue 13: what isolates one app from another here, decided once at daemon start
// (like the limits probe), and what a launch needs from it. Until the probe runs
// (the supervisor's own tests), processes start as before: as the agent, nothing added.
import { existsSync } from "node:fs";
import { userInfo } from "node:os";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import type { IsolationReport } from "../../core/protocol/isolation.js";
import type { AgentHome } from "../home.js";
import { isSystemHome, systemdRunning } from "../system/systemd.js";
import { appHomeDir, appTmpDir, closedParent } from "./access.js";
import { IPTABLES_CHAIN, InstanceFirewall, NFT_TABLE } from "./firewall.js";
import { type AppIdentity, identityEnv, type PrivateTmpTools, privateTmpArgv, runAsArgv } from "./launch.js";
import { AppUsers, type UserTools } from "./users.js";

export interface Isolation {
	report: IsolationReport;
	home: AgentHome | null;
	setpriv: string | null;
	/** Set in mode "users" only. */
	users: AppUsers | null;
	/** A /tmp of each app's own (mode "users", where mount namespaces work). */
	privateTmp: PrivateTmpTools | null;
	firewall: InstanceFirewall | null;
}

let current: Isolation | null = null;

const NOT_PROBED: Isolation = {
	report: { mode: "off", reason: "the isolation probe has not run", noNewPrivs: false, firewall: { tool: null, reason: "the isolation probe has not run" }, systemdSandbox: "not used" },
	home: null,
	setpriv: null,
	users: null,
	firewall: null,
	privateTmp: null,
};

export function currentIsolation(): Isolation {
	return current ?? NOT_PROBED;
}

/** sbin folders too: a daemon started from a login's shell may lack them on PATH. */
function findTool(name: string, path = process.env.PATH ?? ""): string | null {
	for (const dir of [...path.split(delimiter), "/usr/sbin", "/sbin", "/usr/bin", "/bin"]) {
		if (dir && existsSync(join(dir, name))) return join(dir, name);
	}
	return null;
}

export async function probeIsolation(home: AgentHome, log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): Promise<Isolation> {
	const root = process.getuid?.() === 0;
	const setpriv = findTool("setpriv");
	const firewall = await probeFirewall(home, root, log);
	const systemdSandbox = systemdRunning()
		? "not used: instances are the agent's own children (in systemd scopes where limits need them), and a scope takes no ProtectSystem, PrivateTmp or NoNewPrivileges; no_new_privs comes from setpriv, a private /tmp from a mount namespace"
		: "not used: systemd is not running here; no_new_privs comes from setpriv";
	const base = { firewall: firewall.report, systemdSandbox };
	let isolation: Isolation;
	if (env.DEPLOY_AGENT_ISOLATION === "off") {
		isolation = { report: { ...base, mode: "off", reason: "DEPLOY_AGENT_ISOLATION=off (what `deploy preview` sets: its apps run as you, on your machine)", noNewPrivs: false }, home, setpriv: null, users: null, firewall: firewall.tool, privateTmp: null };
	} else if (!root) {
		const me = userInfo().username;
		isolation = {
			report: { ...base, mode: "shared", reason: `the agent runs as ${me}, not root, so it cannot make users: every app runs and builds as ${me}, and can read the files and env of the others`, hint: "Add the server with root or a login with passwordless sudo (`deploy servers add`) for a user per app.", noNewPrivs: setpriv !== null },
			home,
			setpriv,
			users: null,
			firewall: firewall.tool,
			privateTmp: null,
		};
	} else {
		const { report, ...rest } = usersOrUnavailable(home, setpriv);
		const privateTmp = rest.users ? await probePrivateTmp(home) : { tools: null, report: "no: apps have no users of their own here" };
		isolation = { ...rest, report: { ...report, ...base, privateTmp: privateTmp.report }, firewall: firewall.tool, privateTmp: privateTmp.tools };
	}
	current = isolation;
	return isolation;
}

type Decided = Omit<Isolation, "firewall" | "report" | "privateTmp"> & { report: Pick<IsolationReport, "mode" | "reason" | "hint" | "noNewPrivs"> };

function usersOrUnavailable(home: AgentHome, setpriv: string | null): Decided {
	const tools = userTools();
	const missing = [...(setpriv ? [] : ["setpriv"]), ...("missing" in tools ? tools.missing : [])];
	const unavailable = (reason: string, hint: string): Decided => ({
		report: { mode: "unavailable", reason, hint, noNewPrivs: false },
		home,
		setpriv: null,
		users: null,
	});
	if (missing.length > 0 || "missing" in tools) {
		return unavailable(`the agent runs as root but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} missing, so it cannot run apps as users of their own; it builds and starts no app rather than run them as root`, "Install them (Debian, Ubuntu: apt-get install util-linux passwd), then restart the agent (systemctl restart deploy-agent.service; without systemd, stop its process and the next command starts it).");
	}
	const closed = closedParent(home.root);
	if (closed) {
		return unavailable(
			`${closed.path} (mode ${closed.mode.toString(8).padStart(4, "0")}), above the agent's home ${home.root}, lets no other user through, so no app's user could reach its release; the agent builds and starts no app rather than run them as root`,
			`Let others pass through it: chmod o+x ${closed.path} (nothing in it becomes readable), or use a DEPLOY_AGENT_HOME every user can reach.`,
		);
	}
	return {
		report: {
			mode: "users",
			reason: "each app runs and builds as a system user of its own (app-<name>), with no_new_privs: it cannot read another app's files or env, nor the agent's home",
			noNewPrivs: true,
		},
		home,
		setpriv,
		users: new AppUsers(home.root, tools),
	};
}

async function probeFirewall(home: AgentHome, root: boolean, log: (line: string) => void): Promise<{ tool: InstanceFirewall | null; report: IsolationReport["firewall"] }> {
	const none = (reason: string) => ({ tool: null, report: { tool: null, reason } });
	if (!root) return none("the agent is not root, so it leaves the firewall alone: an app that ignores HOST and listens on every address is reachable on its port from outside");
	if (!isSystemHome(home)) return none(`this agent's home is ${home.root} (DEPLOY_AGENT_HOME): the host firewall belongs to the system install`);
	const tool = await detectFirewall(log);
	if (!tool) return none("neither nft nor iptables works here: an app that ignores HOST and listens on every address is reachable on its port from outside (install nftables for a rule that drops it)");
	const what = tool.tool === "nftables" ? `nftables (table inet ${NFT_TABLE})` : `iptables (chain ${IPTABLES_CHAIN}${tool.binaries.length > 1 ? ", IPv4 and IPv6" : ", IPv4 only"})`;
	return { tool, report: { tool: tool.tool, reason: `${what} drops connections to instance ports that do not come from this machine` } };
}

/** nft where it works, else iptables (and ip6tables where it works); null when neither does. */
export async function detectFirewall(log: (line: string) => void): Promise<InstanceFirewall | null> {
	const works = async (binary: string | null, argv: string[]) => binary !== null && (await execa(binary, argv, { reject: false })).exitCode === 0;
	const nft = findTool("nft");
	if (await works(nft, ["list", "tables"])) return new InstanceFirewall("nftables", [nft!], log);
	const iptables = findTool("iptables");
	if (!(await works(iptables, ["-S", "INPUT"]))) return null;
	const ip6tables = findTool("ip6tables");
	return new InstanceFirewall("iptables", [iptables!, ...((await works(ip6tables, ["-S", "INPUT"])) ? [ip6tables!] : [])], log);
}

/** useradd and its kin, or null with the names of those missing. */
export function userTools(): UserTools | { missing: string[] } {
	const found = { useradd: findTool("useradd"), userdel: findTool("userdel") };
	const missing = Object.entries(found).filter(([, path]) => !path).map(([name]) => name);
	if (missing.length > 0) return { missing };
	const nologin = ["/usr/sbin/nologin", "/sbin/nologin", "/bin/false"].find((path) => existsSync(path)) ?? "/bin/false";
	return { useradd: found.useradd!, userdel: found.userdel!, groupdel: findTool("groupdel"), nologin };
}

/**
 * What a process of `app` starts with: the argv in front of its shell and the
 * environment over its own. Synchronous (the instance spawner is); the app's user
 * must have been made before (prepareApp), and a server that should isolate but cannot
 * starts nothing.
 */
export function processIsolation(app: string): { prefix: string[]; env: Record<string, string> } {
	const isolation = currentIsolation();
	const { mode } = isolation.report;
	if (mode === "unavailable") throw new DeployError("ISOLATION_UNAVAILABLE", `Not started: ${isolation.report.reason}.`, isolation.report.hint);
	if (mode === "off") return { prefix: [], env: {} };
	if (mode === "shared") return { prefix: runAsArgv(isolation.setpriv, null), env: {} };
	const identity: AppIdentity | undefined = isolation.users?.get(app);
	if (!identity || !isolation.home) throw new DeployError("APP_USER_MISSING", `${app} has no user of its own yet, and no app runs as root.`, "Deploy it again: a deploy makes its user.");
	return {
		prefix: [...privateTmpArgv(isolation.privateTmp, appTmpDir(isolation.home, app)), ...runAsArgv(isolation.setpriv, identity)],
		env: identityEnv(identity, appHomeDir(isolation.home, app)),
	};
}

/** unshare and mount, and whether a mount namespace can be made here (a container may forbid it). */
async function probePrivateTmp(home: AgentHome): Promise<{ tools: PrivateTmpTools | null; report: string }> {
	// Releases live in the home: covered by the app's /tmp, they would vanish from under it.
	const under = ["/tmp", "/var/tmp"].find((dir) => home.root === dir || home.root.startsWith(`${dir}/`));
	if (under) return { tools: null, report: `no: the agent's home ${home.root} is under ${under}, which an app's own /tmp would hide its release in, so the apps share the server's /tmp` };
	const unshare = findTool("unshare");
	const mount = findTool("mount");
	if (!unshare || !mount) return { tools: null, report: `no: ${unshare ? "mount" : "unshare"} is missing (Debian, Ubuntu: apt-get install util-linux mount), so the apps share the server's /tmp` };
	const tried = await execa(unshare, ["--mount", "--propagation", "private", "--", mount, "--bind", "/tmp", "/tmp"], { reject: false });
	if (tried.exitCode !== 0) return { tools: null, report: `no: this server does not let the agent make a mount namespace (${tried.stderr.trim() || `exit ${tried.exitCode}`}), so the apps share its /tmp` };
	return { tools: { unshare, mount }, report: "yes: each app has a /tmp and /var/tmp of its own (apps/<app>/tmp, in a mount namespace per process)" };
}

/** The firewall's side of an instance's port: opened to loopback only while it runs. No-ops without a firewall tool. */
export function guardPort(port: number): Promise<void> {
	return currentIsolation().firewall?.add(port) ?? Promise.resolve();
}

export function releasePort(port: number): Promise<void> {
	return currentIsolation().firewall?.remove(port) ?? Promise.resolve();
}
