// Opens the proxy's ports where a host firewall is active and closes them: ufw or
// firewalld. What this install opened is recorded, so a purge closes exactly that and
// a rule the owner had before stays.
import { execa } from "execa";
import type { FirewallState } from "../../core/protocol/system.js";
import { findOnPath } from "../proxy/process.js";

export type ActiveFirewall = "ufw" | "firewalld" | null;

/** `ufw status` says "Status: active" on its first line when it filters. */
export function ufwActive(statusOutput: string): boolean {
	return /^Status:\s*active\b/im.test(statusOutput);
}

export async function activeFirewall(): Promise<ActiveFirewall> {
	if (await findOnPath("ufw")) {
		const status = await execa("ufw", ["status"], { reject: false });
		if (ufwActive(String(status.stdout))) return "ufw";
	}
	if (await findOnPath("firewall-cmd")) {
		const state = await execa("firewall-cmd", ["--state"], { reject: false });
		if (String(state.stdout).trim() === "running") return "firewalld";
	}
	return null;
}

/** The rules for the proxy's ports, as each tool names them. */
export function portRules(ports: number[]): string[] {
	return [...new Set(ports)].map((port) => `${port}/tcp`);
}

/** Opens each port that is not open yet; returns the state to record. */
export async function openPorts(ports: number[]): Promise<FirewallState> {
	const tool = await activeFirewall();
	const rules = portRules(ports);
	if (!tool) {
		return { tool: null, opened: [], message: `no active host firewall (ufw, firewalld); your provider's firewall must let ${rules.join(" and ")} in` };
	}
	const opened: string[] = [];
	for (const rule of rules) {
		if (tool === "ufw") {
			// ufw says "Skipping adding existing rule" for a rule that was there: not ours to remove later.
			const run = await execa("ufw", ["allow", rule], { reject: false });
			if (run.exitCode !== 0) return failed(tool, rule, opened, `ufw allow ${rule}`);
			if (/Rule added/i.test(String(run.stdout))) opened.push(rule);
		} else {
			const query = await execa("firewall-cmd", ["--permanent", `--query-port=${rule}`], { reject: false });
			if (String(query.stdout).trim() === "yes") continue;
			const run = await execa("firewall-cmd", ["--permanent", `--add-port=${rule}`], { reject: false });
			if (run.exitCode !== 0) return failed(tool, rule, opened, `firewall-cmd --permanent --add-port=${rule} && firewall-cmd --reload`);
			opened.push(rule);
		}
	}
	if (tool === "firewalld" && opened.length > 0) await execa("firewall-cmd", ["--reload"], { reject: false });
	return { tool, opened, message: opened.length > 0 ? `${tool}: opened ${opened.join(", ")}` : `${tool}: ${rules.join(", ")} already open` };
}

function failed(tool: "ufw" | "firewalld", rule: string, opened: string[], command: string): FirewallState {
	return { tool, opened, message: `${tool} is active and ${rule} could not be opened: run \`${command}\` as root on the server` };
}

/** Closes what `openPorts` recorded; returns the rules it closed. */
export async function closePorts(state: FirewallState): Promise<string[]> {
	const closed: string[] = [];
	for (const rule of state.opened) {
		const run =
			state.tool === "ufw"
				? await execa("ufw", ["delete", "allow", rule], { reject: false })
				: await execa("firewall-cmd", ["--permanent", `--remove-port=${rule}`], { reject: false });
		if (run.exitCode === 0) closed.push(rule);
	}
	if (state.tool === "firewalld" && closed.length > 0) await execa("firewall-cmd", ["--reload"], { reject: false });
	return closed;
}
