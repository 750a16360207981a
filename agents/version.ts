import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The file this agent runs from: dist/agent.mjs in a build, bin/agent.mjs on a server. */
export function selfPath(): string {
	return fileURLToPath(import.meta.url);
}

/** The agent's version identity is the sha256 of its own bundle, the same hash the client computes. */
export function selfVersion(path = selfPath()): string {
	return createHash("sha256").update(readFileSync(path)).digest("hex");
}
