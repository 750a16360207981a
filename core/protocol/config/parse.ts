// deploy.yaml's text -> its validated config: the one validation, shared by the client
// (core/config/load.ts, a project folder) and the agent (agents/git/commit-spec.ts, the
// deploy.yaml of a pushed or fetched commit, issue 18). Pure: no file is read here.
import { type ConfigError, formatIssues, readableMessages } from "./issues.js";
import { type ProjectConfigFile, projectConfigSchema } from "./schema.js";
import { parseYaml } from "./yaml-source.js";

export const CONFIG_FILE = "deploy.yaml";

export type ParsedConfig = { ok: true; config: ProjectConfigFile; warnings: string[] } | { ok: false; errors: ConfigError[] };

/** Validates deploy.yaml's text; errors name the key's path and, where it can be pointed at, its line and column. */
export function parseDeployYaml(text: string): ParsedConfig {
	const parsed = parseYaml(text, CONFIG_FILE);
	if (!parsed.ok) return { ok: false, errors: parsed.errors };
	const result = projectConfigSchema.safeParse(parsed.data, { error: readableMessages });
	if (!result.success) {
		const errors = formatIssues(result.error.issues, projectConfigSchema).map((error) => ({ ...error, ...parsed.locate(error.path) }));
		return { ok: false, errors };
	}
	return { ok: true, config: result.data, warnings: duplicateDomains(result.data.domains) };
}

/** The config of a project without deploy.yaml: every key's default. */
export function defaultConfig(): ProjectConfigFile {
	return projectConfigSchema.parse({});
}

/** One line per error, as the CLI and a push's output show them: `deploy.yaml:3:5 processes/web/instances: must be at least 1`. */
export function configErrorLines(errors: readonly ConfigError[]): string[] {
	return errors.map((error) => {
		const at = error.line !== undefined && !error.path.startsWith(`${CONFIG_FILE}:`) ? `${CONFIG_FILE}:${error.line}:${error.column ?? 1} ` : "";
		return `${at}${error.path}: ${error.message}`;
	});
}

function duplicateDomains(domains: readonly string[]): string[] {
	const seen = new Set<string>();
	const warnings: string[] = [];
	for (const domain of domains) {
		if (seen.has(domain)) warnings.push(`domains: ${domain} is listed twice`);
		seen.add(domain);
	}
	return warnings;
}
