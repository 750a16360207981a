import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { InitInput, InitResult } from "../api/types.js";
import { DeployError } from "../protocol/index.js";

const LOCKFILES: [file: string, manager: string][] = [
	["package-lock.json", "npm"],
	["npm-shrinkwrap.json", "npm"],
	["pnpm-lock.yaml", "pnpm"],
	["yarn.lock", "yarn"],
];

/** `deploy init`: writes deploy.yaml from what the folder shows, and says what it saw. */
export async function initProject(input: InitInput): Promise<InitResult> {
	const dir = resolve(input.dir ?? ".");
	const path = join(dir, "deploy.yaml");
	if (existsSync(path) && !input.force) {
		throw new DeployError("CONFIG_EXISTS", `${path} already exists.`, "Edit it, or run `deploy init --force` to write it anew.");
	}
	const { loadProjectConfig, renderDeployYaml } = await import("../config/index.js");
	const loaded = await loadProjectConfig(dir, { ignoreDeployYaml: true });
	if (!loaded.ok) {
		throw new DeployError("CONFIG_INVALID", loaded.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("\n"), "deploy init needs a package.json to start from.");
	}
	const detected: Record<string, string> = { app: loaded.config.app };
	const manager = LOCKFILES.find(([file]) => existsSync(join(dir, file)))?.[1];
	detected.packageManager = manager ?? "npm (no lockfile)";
	const scripts = await readScripts(dir);
	if (scripts.build) detected.build = `${manager ?? "npm"} run build`;
	detected.start = scripts.start ? scripts.start : "node server.js or index.js (no start script)";
	await writeFile(path, renderDeployYaml(loaded.config));
	return { path, app: loaded.config.app, detected };
}

async function readScripts(dir: string): Promise<Record<string, string>> {
	try {
		const pkg = JSON.parse(await readFile(join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
		return pkg.scripts ?? {};
	} catch {
		return {};
	}
}
