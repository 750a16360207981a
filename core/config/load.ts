import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../protocol/errors.js";
import { PLAIN_SITE_PAGES, plainSiteDir } from "../protocol/plain-site.js";
import { defaultAppName } from "./defaults.js";
import type { ConfigError } from "../protocol/config/issues.js";
import { ROOT_PATH } from "../protocol/config/issues.js";
import { CONFIG_FILE, defaultConfig, parseDeployYaml } from "../protocol/config/parse.js";
import type { ProjectConfig } from "../protocol/config/schema.js";

export { CONFIG_FILE };

export type LoadResult =
	| {
			ok: true;
			config: ProjectConfig;
			warnings: string[];
			/** The deploy.yaml read, or null when the config is package.json's defaults. */
			file: string | null;
	  }
	| { ok: false; errors: ConfigError[] };

export interface LoadOptions {
	/** Use only package.json and the folder name, as if there were no deploy.yaml (`deploy init --force`). */
	ignoreDeployYaml?: boolean;
}

/**
 * Reads the project in `dir`: its deploy.yaml, validated, with the gaps filled from
 * package.json and the folder name. Never throws for a bad project: the caller
 * decides how to show the errors (the CLI prints them, the UI marks the fields).
 */
export async function loadProjectConfig(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
	if (!(await isDirectory(dir))) return fail(ROOT_PATH, `the project folder ${dir} does not exist`);
	const file = join(dir, CONFIG_FILE);
	const [text, packageJson] = await Promise.all([options.ignoreDeployYaml ? null : readOptional(file), readPackageJson(dir)]);
	const warnings: string[] = [...packageJson.warnings];

	if (text === null) {
		if (!options.ignoreDeployYaml && (await readOptional(join(dir, "deploy.yml")))) return fail("deploy.yml", "the config file must be named deploy.yaml; rename it");
		// Issue 14: a folder of plain files with an index.html deploys as a static site; `deploy init` works anywhere.
		if (!packageJson.found && !options.ignoreDeployYaml && !(await hasPlainSite(dir))) {
			return fail(ROOT_PATH, `nothing to deploy in ${dir}: no deploy.yaml, package.json or index.html (nor public/index.html); run \`deploy init\` to write a deploy.yaml that explains the choices`);
		}
	}

	const parsed = text === null ? ({ ok: true, config: defaultConfig(), warnings: [] } as const) : parseDeployYaml(text);
	if (!parsed.ok) return { ok: false, errors: parsed.errors };
	warnings.push(...parsed.warnings);

	const { app: configured, ...rest } = parsed.config;
	let app = configured;
	if (!app) {
		// With `root:`, the app is that package: named after it, as when deploy runs in its folder.
		const named = rest.root ? await readPackageJson(join(dir, rest.root)) : packageJson;
		const choice = defaultAppName(named.name, rest.root ? join(dir, rest.root) : dir);
		if (!choice) return fail("app", "could not derive an app name from package.json or the folder name; set `app:` in deploy.yaml");
		app = choice.app;
		if (choice.warning) warnings.push(choice.warning);
	}
	return { ok: true, config: { app, ...rest }, warnings, file: text === null ? null : file };
}

function fail(path: string, message: string): LoadResult {
	return { ok: false, errors: [{ path, message }] };
}

/** package.json matters here only for its name; a broken one is the agent's problem, so it warns. */
async function readPackageJson(dir: string): Promise<{ found: boolean; name?: string; warnings: string[] }> {
	const text = await readOptional(join(dir, "package.json"));
	if (text === null) return { found: false, warnings: [] };
	try {
		const json: unknown = JSON.parse(text);
		const name = json && typeof json === "object" && "name" in json && typeof json.name === "string" ? json.name : undefined;
		return name ? { found: true, name, warnings: [] } : { found: true, warnings: [] };
	} catch (error) {
		return { found: true, warnings: [`package.json is not valid JSON (${(error as Error).message})`] };
	}
}

async function hasPlainSite(dir: string): Promise<boolean> {
	const present = await Promise.all(PLAIN_SITE_PAGES.map(async (page) => ((await stat(join(dir, page)).catch(() => null))?.isFile() ? page : null)));
	return plainSiteDir(present.filter((page) => page !== null)) !== null;
}

async function readOptional(path: string): Promise<string | null> {
	try {
		return await readFile(path, "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw new DeployError("CONFIG_UNREADABLE", `Cannot read ${path}: ${(error as Error).message}`, "Check the file's permissions.");
	}
}

async function isDirectory(path: string): Promise<boolean> {
	try {
		return (await stat(path)).isDirectory();
	} catch {
		return false;
	}
}
