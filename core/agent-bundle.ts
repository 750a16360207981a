import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentBundle } from "./provider.js";
import { DeployError } from "./protocol/errors.js";

let cached: AgentBundle | undefined;

/**
 * Finds dist/agent.mjs, built by `npm run build`, from the running code's folder
 * upwards (works from dist/cli and from the TypeScript sources under tsx).
 */
export function agentBundle(): AgentBundle {
	if (cached) return cached;
	const path = process.env.DEPLOY_AGENT_BUNDLE ?? findUpwards(dirname(fileURLToPath(import.meta.url)), join("dist", "agent.mjs"));
	if (!path || !existsSync(path)) {
		throw new DeployError("AGENT_BUNDLE_MISSING", "The agent bundle (dist/agent.mjs) is missing.", "Run `npm run build` first.");
	}
	const sha256 = createHash("sha256").update(readFileSync(path)).digest("hex");
	cached = { path, sha256 };
	return cached;
}

function findUpwards(start: string, relative: string): string | undefined {
	for (let dir = start; ; dir = dirname(dir)) {
		const candidate = join(dir, relative);
		if (existsSync(candidate)) return candidate;
		if (dirname(dir) === dir) return undefined;
	}
}
