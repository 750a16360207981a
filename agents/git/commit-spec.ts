// Issue 18: the spec a pushed or fetched commit deploys with: its own deploy.yaml, checked
// with the client's one validation (core/protocol/config/parse.ts) and made into a spec by
// the client's toAppSpec. What a commit cannot carry stays what `deploy git-remote` or
// `deploy hooks add` recorded: the app's name and team (a push must not rename or move an
// app), and its workspace folder (`root`, found by the client in the working tree). Pure.
import { configErrorLines, defaultConfig, parseDeployYaml } from "../../core/protocol/config/parse.js";
import { toAppSpec } from "../../core/protocol/config/spec.js";
import { DeployError } from "../../core/protocol/errors.js";
import { ttlSeconds } from "../../core/protocol/previews.js";
import type { AppSpec } from "../../core/protocol/spec.js";

export interface CommitSpec {
	spec: AppSpec;
	/** The commit's `previews.ttl`, in seconds; undefined when it says none (the recorded one applies). */
	previewTtlSeconds: number | undefined;
	warnings: string[];
}

/** `configText`: the commit's deploy.yaml, null when it has none (every key's default, as `deploy` in such a folder). */
export function commitSpec(kept: AppSpec, configText: string | null, commit: string): CommitSpec {
	const parsed = configText === null ? ({ ok: true, config: defaultConfig(), warnings: [] } as const) : parseDeployYaml(configText);
	if (!parsed.ok) {
		const details = configErrorLines(parsed.errors);
		throw new DeployError(
			"CONFIG_INVALID",
			`deploy.yaml in commit ${commit.slice(0, 12)} is not valid (${details.length} ${details.length === 1 ? "problem" : "problems"}):\n  ${details.join("\n  ")}`,
			"Fix deploy.yaml (the reference is docs/config.md), commit, and push again: `deploy` in the folder shows the same errors before any push.",
			details,
		);
	}
	const { app: name, team, ...carried } = parsed.config;
	const warnings = [...parsed.warnings];
	if (name && name !== kept.name) warnings.push(`deploy.yaml says app: ${name}; a push deploys ${kept.name}, the app its remote was made for (\`deploy git-remote\` in a folder of ${name} makes that app's remote)`);
	if (team && team !== kept.team) warnings.push(`deploy.yaml says team: ${team}; a push keeps the app's team (${kept.team ?? "the default"}): moving an app is a \`deploy\` by the server's owner`);
	const spec = toAppSpec({ ...carried, app: kept.name, ...(kept.team ? { team: kept.team } : {}) });
	if (kept.root) spec.root = kept.root;
	const ttl = parsed.config.previews?.ttl;
	return { spec, previewTtlSeconds: ttl ? ttlSeconds(ttl) : undefined, warnings };
}
