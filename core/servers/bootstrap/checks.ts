// Issue 12: what refuses a server before anything on it changes. Pure: tested by equality.
import { DeployError } from "../../protocol/errors.js";
import { unsupportedReason } from "../../protocol/server-os.js";
import type { ServerFacts } from "./probe.js";

/** How the login reaches root, or the error that says what to do. */
export function loginPrivilege(facts: ServerFacts, where: string): "root" | "sudo" {
	if (facts.sudo === "root") return "root";
	if (facts.sudo === "ok") return "sudo";
	const user = facts.user || "this login";
	const line = `${user} ALL=(ALL) NOPASSWD:ALL`;
	if (facts.sudo === "missing") {
		throw new DeployError("SUDO_MISSING", `${user} on ${where} is not root and the server has no sudo. Nothing was changed.`, `Add the server as root@…, or install sudo and give ${user} passwordless sudo (a line \`${line}\` in /etc/sudoers.d/${user}).`);
	}
	throw new DeployError(
		"SUDO_PASSWORD_REQUIRED",
		`${user} on ${where} may use sudo only with a password${facts.sudoMessage ? ` (${facts.sudoMessage})` : ""}; the agent installs as root and cannot type one. Nothing was changed.`,
		`On the server, as root: \`echo '${line}' > /etc/sudoers.d/${user} && chmod 440 /etc/sudoers.d/${user}\` (or use visudo), then run the command again. Or add the server as root@….`,
	);
}

/** Throws UNSUPPORTED_SERVER naming what was found. */
export function checkSystem(facts: ServerFacts, where: string): void {
	const reason = unsupportedReason(facts.os, facts.machine);
	if (reason) throw new DeployError("UNSUPPORTED_SERVER", `${where}: ${reason} Nothing was changed.`, "Use a Debian or Ubuntu server of a supported release (what most providers offer as their default image).");
}

/** Debian packages the runtime's download needs and the server lacks. */
export function missingTools(facts: ServerFacts): string[] {
	return [...(facts.downloader === "none" ? ["curl"] : []), ...(facts.xz ? [] : ["xz-utils"])];
}

export function describeSystem(facts: ServerFacts): string {
	return `${facts.os.prettyName || `${facts.os.id} ${facts.os.versionId}`}, ${facts.machine}${facts.node ? ` (its own Node.js ${facts.node} stays as it is)` : ""}`;
}
