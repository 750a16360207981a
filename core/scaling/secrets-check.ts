// Issue 13: `deploy doctor`'s line on the agent's secrets key (core/protocol/secrets-key.ts),
// pure like the other checks: a lost key stops every app with env values from starting again.
import { dirname, join } from "node:path/posix";
import type { SecretsKeyReport } from "../protocol/secrets-key.js";
import type { DoctorCheck } from "./checks.js";

export function secretsCheck(report: SecretsKeyReport | undefined): DoctorCheck {
	if (!report) return { name: "secrets", status: "warn", message: "this agent does not report on its secrets key", hint: "`deploy servers upgrade <server>` brings the agent up to date." };
	const { path, present, unreadable } = report;
	if (unreadable.length === 0) {
		return { name: "secrets", status: "ok", message: present ? `the secrets key ${path} opens every app's env values` : "no secrets key yet: the agent makes one with the first `deploy env set`" };
	}
	const apps = unreadable.join(", ");
	const cannot = `so ${unreadable.length === 1 ? "its instances" : "their instances"} cannot start or restart`;
	const message = present
		? `the env values of ${apps} do not open with the secrets key ${path} (it was replaced, or they were changed), ${cannot}`
		: `the secrets key ${path} is missing: the env values of ${apps} cannot be opened, ${cannot}`;
	const hint = `Put ${present ? "the original key" : "the key file"} back from a backup, then deploy again. If it is lost, so are the values sealed with it: on the server remove ${join(dirname(path), "apps", "<app>", "env")}, set them again with \`deploy env set\`, and deploy.`;
	return { name: "secrets", status: "fail", message, hint };
}
