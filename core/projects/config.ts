// What the Env and Domains views show: an app's resolved deploy.yaml, with every env
// value masked. A value travels in the clear only when a person asks for that one
// (revealProjectEnv), so the renderer never holds them all.
import type { ProjectConfigInfo } from "../api/types.js";
import { loadProject } from "../deploy/project.js";
import { generatedHost, httpUrl } from "../protocol/hosts.js";
import { DeployError } from "../protocol/index.js";

/** Always the same mask: its length says nothing about the value's. */
export const MASKED_VALUE = "••••••";

export async function projectConfig(name: string): Promise<ProjectConfigInfo> {
	const { project, address, httpPort } = await findProject(name);
	const loaded = await loadProject(project.dir);
	const { spec } = loaded;
	return {
		name: project.name,
		dir: project.dir,
		server: project.server,
		env: Object.keys(spec.env)
			.sort()
			.map((key) => ({ key, value: MASKED_VALUE })),
		domains: [...spec.domains],
		generatedUrl: address === null ? null : generatedUrl(spec.name, address, httpPort),
		processes: Object.entries(spec.processes).map(([processName, process]) => ({ name: processName, command: process.command ?? null, instances: process.instances })),
		install: spec.install ?? null,
		build: spec.build ?? null,
		warnings: loaded.warnings,
	};
}

export async function revealProjectEnv(name: string, key: string): Promise<{ key: string; value: string }> {
	const { project } = await findProject(name);
	const { spec } = await loadProject(project.dir);
	if (!Object.hasOwn(spec.env, key)) {
		throw new DeployError("ENV_UNKNOWN", `${name} has no environment variable ${key}.`, "See the Env view (or deploy.yaml's env:) for the names it has.");
	}
	return { key, value: spec.env[key]! };
}

/** The URL the agent gives an app without a domain: the same rule, from core/protocol/hosts.ts. */
export function generatedUrl(app: string, address: string, httpPort: number): string {
	return httpUrl(generatedHost(app, address), httpPort);
}

async function findProject(name: string) {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	try {
		const project = await store.projects.get(name);
		if (!project) throw new DeployError("APP_UNKNOWN", `There is no app named "${name}" on this machine.`, "Link its folder in the Apps view first.");
		const server = project.server ? await store.servers.get(project.server) : undefined;
		return { project, address: server?.address ?? null, httpPort: server?.httpPort ?? 80 };
	} finally {
		await store.close();
	}
}
