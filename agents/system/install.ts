// `agent.mjs system install`: the machine-wide part of `servers add` and `servers
// upgrade`, run as root once the agent's runtime and bundle are in place: the proxy's
// binary, the boot units, the firewall openings. Each step says what it did; running
// it again on a set-up server changes nothing, on a half-set-up one repairs what is missing.
import { parseOsRelease } from "../../core/protocol/server-os.js";
import type { SystemInstallInput, SystemInstallResult } from "../../core/protocol/system.js";
import type { StepReporter } from "../deploy/steps.js";
import { readTextIfExists } from "../fs/read-if-exists.js";
import type { AgentHome } from "../home.js";
import { readServerSetup } from "../context/server-setup.js";
import { answers, callOnce, waitFor } from "../bridge/socket.js";
import { type ProxyLaunch, proxyEnv, proxyLaunch } from "../proxy/launch.js";
import { ProxyProcess } from "../proxy/proxy-process.js";
import { installUnits } from "./boot.js";
import { openPorts } from "./firewall.js";
import { prepareHome, uidOf } from "./home-access.js";
import { ensureProxyBinary } from "./proxy-install.js";
import { readSystemRecord, writeSystemRecord } from "./record.js";
import { AGENT_UNIT, isSystemHome, managedBySystemd, PROXY_UNIT, systemctl, systemdRunning } from "./systemd.js";

export async function systemInstall(home: AgentHome, input: SystemInstallInput, steps: StepReporter, log: (line: string) => void): Promise<SystemInstallResult> {
	const previous = await readSystemRecord(home);
	const ownerUid = await uidOf(input.owner);
	await prepareHome(home, ownerUid);
	const os = parseOsRelease((await readTextIfExists("/etc/os-release")) ?? "");
	const installed = await steps.run(
		"proxy",
		() => ensureProxyBinary({ home, kind: input.proxy, os, arch: process.arch === "arm64" ? "arm64" : "amd64", mirror: input.proxyMirror, previous: previous?.proxy ?? null, log }),
		(outcome) => outcome.message,
	);
	const launch = proxyLaunch(input.proxy, installed.proxy.binary, home.proxy);
	if (installed.replaced) await restartProxy(home, launch, log);
	const boot = await steps.run("units", () => installUnits(home, launch), (state) => state.message);
	if (boot.changed) await handOverToSystemd(home, log);
	const firewall = isSystemHome(home)
		? await steps.run("firewall", () => openPorts([input.httpPort, input.httpsPort]), (state) => state.message)
		: { tool: null, opened: [], message: `this agent's home is ${home.root} (DEPLOY_AGENT_HOME): the host firewall belongs to the system install` };
	if (!isSystemHome(home)) steps.skip("firewall", firewall.message);
	const packages = [...new Set([...(previous?.packages ?? []), ...input.packages, ...(installed.addedPackage ? [installed.addedPackage] : [])])];
	const opened = [...new Set([...(previous?.firewall.opened ?? []), ...firewall.opened])];
	await writeSystemRecord(home, {
		version: 1,
		owner: input.owner,
		ownerUid,
		proxy: installed.proxy,
		packages,
		units: boot.units,
		firewall: { ...firewall, tool: firewall.tool ?? previous?.firewall.tool ?? null, opened },
		updatedAt: new Date().toISOString(),
	}, previous);
	const { changed: _changed, ...bootState } = boot;
	return { proxy: installed.proxy, boot: bootState, firewall };
}

/** A new proxy binary runs only once its process restarts: a short gap in serving, only when its version changed. */
async function restartProxy(home: AgentHome, launch: ProxyLaunch, log: (line: string) => void): Promise<void> {
	const setup = await readServerSetup(home).catch(() => null);
	const proxy = new ProxyProcess(launch, managedBySystemd(home, PROXY_UNIT));
	if (!setup || (await proxy.running()) === null) return;
	await proxy.stop();
	await proxy.start(proxyEnv(launch.name, home.proxy, setup));
	log(`restarted ${launch.name} on its new binary`);
}

/**
 * Where systemd runs and the agent's unit is new, a daemon the bridge started before
 * (an older install) hands over to the unit: it stops (its apps keep running) and
 * systemd starts the same bundle, which adopts them.
 */
async function handOverToSystemd(home: AgentHome, log: (line: string) => void): Promise<void> {
	if (!systemdRunning() || !managedBySystemd(home, AGENT_UNIT)) return;
	if ((await systemctl(["is-active", "--quiet", AGENT_UNIT])).ok) return;
	if (await answers(home.socket)) {
		await callOnce(home.socket, "shutdown", {}).catch(() => undefined);
		await waitFor(async () => !(await answers(home.socket)), 10_000);
	}
	const started = await systemctl(["start", AGENT_UNIT]);
	log(started.ok ? `${AGENT_UNIT} started` : `systemctl start ${AGENT_UNIT}: ${started.output}`);
}

