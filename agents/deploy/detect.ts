import { z } from "zod";
import { type AppSpec, DeployError } from "../../core/protocol/index.js";

/** The parts of package.json detection reads; anything else in the file is ignored. */
export const packageJson = z.looseObject({
	main: z.string().optional(),
	packageManager: z.string().optional(),
	scripts: z.record(z.string(), z.string()).optional(),
	dependencies: z.record(z.string(), z.string()).optional(),
	devDependencies: z.record(z.string(), z.string()).optional(),
});
export type PackageJson = z.infer<typeof packageJson>;

export type PackageManager = "npm" | "pnpm" | "yarn";
export type StepPlan = { command: string } | { skip: string };

export interface HealthcheckPlan {
	path?: string | undefined;
	timeoutSeconds: number;
	intervalMs: number;
	expectedStatus?: number | undefined;
}

export interface ProcessPlan {
	name: string;
	command: string;
	instances: number;
	/** Only the web process is routed and health-checked. */
	web: boolean;
	healthcheck: HealthcheckPlan;
	/** Seconds an old instance gets between SIGTERM and SIGKILL. */
	drainSeconds: number;
}

export interface BuildPlan {
	packageManager: PackageManager;
	install: StepPlan;
	build: StepPlan;
}

export interface ReleaseFacts {
	/** package.json of the release root, null when there is none. */
	pkg: PackageJson | null;
	/** Release-relative paths known to exist (lockfiles, server.js, index.js, main). */
	files: string[];
}

const DEFAULT_HEALTHCHECK: HealthcheckPlan = { timeoutSeconds: 30, intervalMs: 250 };
const DEFAULT_DRAIN_SECONDS = 30;

/** The install and build commands of a release, from its spec and files. Pure: tested by equality. */
export function planBuild(spec: AppSpec, facts: ReleaseFacts): BuildPlan {
	const pm = packageManagerOf(facts);
	return { packageManager: pm, install: installStep(spec, facts, pm), build: buildStep(spec, facts, pm) };
}

/**
 * The processes to start. Planned after the build, whose output may be the entry
 * point (package.json "main": "dist/server.js").
 */
export function planProcesses(spec: AppSpec, facts: ReleaseFacts): ProcessPlan[] {
	const web = spec.processes.web;
	const processes: ProcessPlan[] = [
		{
			name: "web",
			command: web?.command ?? webCommand(facts),
			instances: web?.instances ?? 1,
			web: true,
			healthcheck: web?.healthcheck ?? DEFAULT_HEALTHCHECK,
			drainSeconds: web?.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
		},
	];
	for (const [name, process] of Object.entries(spec.processes)) {
		if (name === "web") continue;
		if (!process.command) {
			throw new DeployError("NO_START_COMMAND", `Process "${name}" has no command.`, `Set processes.${name}.command in deploy.yaml.`);
		}
		processes.push({ name, command: process.command, instances: process.instances, web: false, healthcheck: process.healthcheck, drainSeconds: process.drainSeconds });
	}
	return processes;
}

/** The files whose presence detection asks about; the pipeline checks which exist. */
export function candidateFiles(pkg: PackageJson | null): string[] {
	const names = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "server.js", "index.js"];
	return pkg?.main ? [...names, normalize(pkg.main)] : names;
}

export function packageManagerOf({ pkg, files }: ReleaseFacts): PackageManager {
	if (files.includes("pnpm-lock.yaml")) return "pnpm";
	if (files.includes("yarn.lock")) return "yarn";
	if (files.includes("package-lock.json") || files.includes("npm-shrinkwrap.json")) return "npm";
	const declared = pkg?.packageManager?.split("@")[0];
	return declared === "pnpm" || declared === "yarn" ? declared : "npm";
}

function installStep(spec: AppSpec, { pkg, files }: ReleaseFacts, pm: PackageManager): StepPlan {
	if (spec.install) return { command: spec.install };
	if (files.includes("package-lock.json") || files.includes("npm-shrinkwrap.json")) return { command: "npm ci" };
	if (files.includes("pnpm-lock.yaml")) return { command: "pnpm install --frozen-lockfile" };
	if (files.includes("yarn.lock")) return { command: "yarn install --frozen-lockfile" };
	if (!pkg) return { skip: "no package.json" };
	const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
	return hasDeps ? { command: `${pm} install` } : { skip: "no dependencies" };
}

function buildStep(spec: AppSpec, { pkg }: ReleaseFacts, pm: PackageManager): StepPlan {
	if (spec.build) return { command: spec.build };
	return pkg?.scripts?.build ? { command: `${pm} run build` } : { skip: "no build script" };
}

/**
 * The start script's own command line, not `npm start`: no npm process then sits
 * between the agent and the app, so signals reach the app (node_modules/.bin is on PATH).
 */
function webCommand({ pkg, files }: ReleaseFacts): string {
	const start = pkg?.scripts?.start;
	if (start) return start;
	const entry = [pkg?.main, "server.js", "index.js"].find((name) => name !== undefined && files.includes(normalize(name)));
	if (entry) return `node ${normalize(entry)}`;
	throw new DeployError(
		"NO_START_COMMAND",
		"Cannot tell how to start this app: package.json has no start script and there is no server.js or index.js.",
		'Add a "start" script to package.json, or set processes.web.command in deploy.yaml.',
	);
}

function normalize(name: string): string {
	return name.replace(/^\.\//, "");
}
