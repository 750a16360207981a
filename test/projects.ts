// Which test files belong to vitest's "e2e" project (vitest.config.ts): the user flows,
// and every file that starts a real part or binds a port. Read from the files' text so
// that a test moved or added beside its source file lands in the right project.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const FLOW_FOLDERS = /^test\/(e2e|ui|load)\//;
/** What starts sshd, Caddy, Pebble, Chromium, the agent daemon or a listening socket. */
const STARTS_A_REAL_PART = /\b(startSshd|startTestServer|startFreshServer|startPebble|startUi|launchBrowser|installAgent|freePort|createProxyDriver)\b|\.listen\(/;

export function e2eFiles(root = process.cwd()): string[] {
	return readdirSync(join(root, "test"), { recursive: true, encoding: "utf8" })
		.map((file) => `test/${file}`)
		.filter((file) => file.endsWith(".test.ts"))
		.filter((file) => FLOW_FOLDERS.test(file) || STARTS_A_REAL_PART.test(readFileSync(join(root, file), "utf8")))
		.sort();
}
