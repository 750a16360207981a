// Issue 13: `deploy doctor`'s lines on what keeps apps apart (the agent's isolation
// report: core/protocol/isolation.ts), pure like the other checks.
import type { IsolationReport } from "../protocol/isolation.js";
import type { DoctorCheck } from "./checks.js";

const UPGRADE = "`deploy servers upgrade <server>` brings the agent up to date.";

/** Own users, no_new_privs, a private /tmp, systemd's sandboxing: ok with a user per app; warn where apps share one; fail where the agent refuses to run apps. */
export function isolationCheck(report: IsolationReport | undefined): DoctorCheck {
	if (!report) return { name: "isolation", status: "warn", message: "this agent predates app isolation: every app runs and builds as the agent's user", hint: UPGRADE };
	const nnp = report.noNewPrivs ? "no_new_privs: yes" : "no_new_privs: no";
	const sandbox = `systemd sandboxing: ${report.systemdSandbox}`;
	const tmp = report.privateTmp ? `; private /tmp: ${report.privateTmp}` : "";
	if (report.mode === "users") return { name: "isolation", status: "ok", message: `own users: yes, ${report.reason}${tmp}; ${sandbox}` };
	const message = `own users: no, ${report.reason}; ${nnp}; ${sandbox}`;
	const status = report.mode === "unavailable" ? "fail" : "warn";
	return { name: "isolation", status, message, ...(report.hint ? { hint: report.hint } : {}) };
}

/** Where instances listen: HOST=127.0.0.1 always; ok with a firewall rule behind it, warn without (an app that ignores HOST is reachable from outside). */
export function portsCheck(report: IsolationReport | undefined): DoctorCheck {
	if (!report) return { name: "ports", status: "warn", message: "this agent predates HOST=127.0.0.1: apps listen where they choose", hint: UPGRADE };
	const host = "instances get HOST=127.0.0.1 (and PORT)";
	if (report.firewall.tool) return { name: "ports", status: "ok", message: `${host}; firewall: ${report.firewall.reason}` };
	return {
		name: "ports",
		status: "warn",
		message: `${host}, which each app must honour (or listen on 127.0.0.1 itself); no firewall rule: ${report.firewall.reason}`,
		hint: "Make every app listen on $HOST. On a server added with root or sudo: install nftables (apt-get install nftables) and restart the agent (systemctl restart deploy-agent.service; without systemd, stop its process and the next command starts it).",
	};
}
