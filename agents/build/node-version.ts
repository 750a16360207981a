import { execa } from "execa";
import { baseEnv } from "../util/env.js";

let cached: Promise<string> | null = null;

/** The version of the `node` builds run with (the one on PATH, not necessarily the agent's): asked once. */
export function buildNodeVersion(): Promise<string> {
	cached ??= execa("node", ["--version"], { env: baseEnv(), extendEnv: false, reject: false }).then(
		(r) => (r.exitCode === 0 ? String(r.stdout).trim() : process.version),
		() => process.version,
	);
	return cached;
}
