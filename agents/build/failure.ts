import type { PackageJson } from "../detect/plan.js";

export interface FailureFacts {
	step: "install" | "build";
	command: string;
	exitCode: number | undefined;
	signal: string | undefined;
	lastLines: string[];
	pkg: PackageJson | null;
	nodeVersion: string;
}

/**
 * The hint for a failed install or build, read from its exit and last lines: the
 * causes users hit most, each with what to do. Pure: tested by equality.
 */
export function failureHint(facts: FailureFacts): string {
	const text = facts.lastLines.join("\n");
	const wanted = facts.pkg?.engines?.node;
	if (facts.exitCode === 137 || facts.signal === "SIGKILL" || /heap out of memory|ENOMEM|Killed\s*$/m.test(text)) {
		return "The build ran out of memory. Raise DEPLOY_AGENT_BUILD_MEMORY_MB on the server, add swap, or use a bigger server.";
	}
	if (/ENOSPC|no space left on device/i.test(text)) return "The server's disk is full. Free space (`deploy cache clear`, fewer kept releases) and deploy again.";
	const missing = /Missing script: "?([\w:-]+)"?/.exec(text);
	if (missing) return `package.json has no "${missing[1]}" script. Add it, or set \`${facts.step}\` in deploy.yaml.`;
	if (/EBADENGINE|Unsupported engine|engine "node" is incompatible|The engine "node"/i.test(text) || (wanted && /SyntaxError|ERR_REQUIRE_ESM|is not a function/.test(text))) {
		return `package.json wants Node ${wanted ?? "another version"} (engines.node) but the server runs ${facts.nodeVersion}. Install a matching Node on the server.`;
	}
	if (facts.exitCode === 127 || /command not found|not found$/m.test(text)) {
		return "A command of this step is not installed on the server. Install it (for pnpm or yarn: `corepack enable`), or change the command in deploy.yaml.";
	}
	if (facts.step === "install") return "Read the output above; check that the lockfile matches package.json, or set `install` in deploy.yaml.";
	return "Read the output above; run the build locally to reproduce it, or set `build` in deploy.yaml.";
}
