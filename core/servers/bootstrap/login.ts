import type { RemoteHost } from "../../provider.js";
import type { DeployEvent } from "../../protocol/index.js";
import { runStep } from "../../protocol/steps.js";
import { userCommand } from "../shell.js";
import { loginPrivilege } from "./checks.js";
import { PROBE_SCRIPT, parseProbe, type ServerFacts } from "./probe.js";

/** The `sudo` step of setting a server up or purging it: what the probe finds, and how the login reaches root (or why it cannot). */
export async function checkLogin(host: RemoteHost, emit: (event: DeployEvent) => void): Promise<{ facts: ServerFacts; privilege: "root" | "sudo" }> {
	return runStep(
		emit,
		"sudo",
		async () => {
			const facts = parseProbe((await host.exec(userCommand(PROBE_SCRIPT))).stdout);
			return { facts, privilege: loginPrivilege(facts, host.where) };
		},
		({ facts, privilege }) => (privilege === "root" ? "logged in as root" : `${facts.user} has passwordless sudo`),
	);
}
