import { randomInt } from "node:crypto";

/** `d` + base36 millis + 4 random base36 chars: unique enough, and sorts by time as a string. */
export function newDeploymentId(now = Date.now()): string {
	let suffix = "";
	for (let i = 0; i < 4; i++) suffix += randomInt(36).toString(36);
	return `d${now.toString(36)}${suffix}`;
}
