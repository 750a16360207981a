import { posix } from "node:path";
import * as z from "zod";
import { type AppSpec, DeployError } from "../../core/protocol/index.js";
import type { LimitsSpec } from "../../core/protocol/scaling.js";
import { PLAIN_SITE_PAGES } from "../../core/protocol/plain-site.js";
import { conventionFor, type RunConvention } from "./conventions.js";
import { parseProcfile } from "./procfile.js";
import { shellQuote } from "../../core/protocol/shell-quote.js";

/** The parts of package.json detection reads; anything else in the file is ignored. */
export const packageJson = z.looseObject({
	main: z.string().optional(),
	packageManager: z.string().optional(),
	scripts: z.record(z.string(), z.string()).optional(),
	dependencies: z.record(z.string(), z.string()).optional(),
	devDependencies: z.record(z.string(), z.string()).optional(),
	engines: z.looseObject({ node: z.string().optional() }).optional(),
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
	/** Issue 7: memory and CPU limits of each instance. */
	limits?: LimitsSpec;
	/** Issue 14: the release-relative folder it runs in (a workspace's package); default the release root. */
	dir?: string;
}

export interface BuildPlan {
	packageManager: PackageManager;
	install: StepPlan;
	build: StepPlan;
	/** Issue 14: the release-relative folder the build runs in (a workspace package); install always runs at the release root. */
	buildDir?: string;
}

export interface StaticPlan {
	/** Release-relative folder served as files. */
	dir: string;
	/** Unknown paths answer with index.html (client-side routing). */
	spa: boolean;
}

export interface ReleaseFacts {
	/** package.json of the release root, null when there is none. */
	pkg: PackageJson | null;
	/** Release-relative paths known to exist (lockfiles, server.js, index.js, main, detector paths). */
	files: string[];
	/** Text of the small files detectors and conventions match against (config files, Procfile). */
	contents?: Record<string, string>;
	/** The framework @vercel/frameworks' detectors matched (null: none), with its output folder. */
	framework?: { slug: string | null; outputDirectory?: string | undefined };
	/**
	 * Issue 14: the release is a workspace and the app one of its packages. Everything
	 * above is then the package's (its folder is `root`); this is the workspace root's,
	 * where the lockfile is and the one install runs.
	 */
	workspace?: WorkspaceFacts;
}

export interface WorkspaceFacts {
	/** The package's folder, release-relative. */
	root: string;
	/** The workspace root's package.json. */
	pkg: PackageJson | null;
	/** Lockfiles present at the workspace root. */
	files: string[];
}

/** What `node agent.mjs detect <dir>` prints and `deploy init` writes down. */
export interface Detection {
	framework: string | null;
	packageManager: PackageManager;
	install: string | null;
	build: string | null;
	processes: Record<string, string>;
	static: StaticPlan | null;
}

const DEFAULT_HEALTHCHECK: HealthcheckPlan = { timeoutSeconds: 30, intervalMs: 250 };
const DEFAULT_DRAIN_SECONDS = 30;

/** The framework in effect: the spec's override, else the detected one. */
export function frameworkOf(spec: Pick<AppSpec, "framework">, facts: ReleaseFacts): string | null {
	return spec.framework ?? facts.framework?.slug ?? null;
}

/** The install and build commands of a release, from its spec and files. Pure: tested by equality. */
export function planBuild(spec: AppSpec, facts: ReleaseFacts): BuildPlan {
	const { workspace } = facts;
	if (workspace) {
		// The workspace's lockfile and package manager; one install at its root links the packages to each other.
		const pm = spec.packageManager ?? packageManagerOf(workspace);
		return { packageManager: pm, install: workspaceInstall(spec, workspace, pm), build: buildStep(spec, facts, pm), buildDir: workspace.root };
	}
	const pm = spec.packageManager ?? packageManagerOf(facts);
	return { packageManager: pm, install: installStep(spec, facts, pm), build: buildStep(spec, facts, pm) };
}

/** The folder served as files, when the app is a static site (the spec's `static`, or its framework's convention). */
export function planStatic(spec: AppSpec, facts: ReleaseFacts): StaticPlan | null {
	// In a workspace, the folder is the package's: release-relative, it is under the package's folder.
	const inRelease = (dir: string) => (facts.workspace ? posix.join(facts.workspace.root, dir) : dir);
	if (spec.static) return { dir: inRelease(normalize(spec.static.dir)), spa: spec.static.spa };
	if (spec.processes.web?.command || procfile(facts).some((p) => p.name === "web")) return null;
	const run = convention(spec, facts);
	return run.kind === "static" ? { dir: inRelease(run.dir), spa: run.spa } : null;
}

/**
 * Issue 14: the processes of a workspace's package run in the package's folder (its
 * `dir`, kept in the release's spec so rollbacks, restarts and scale-ups run them
 * there too). The agent's static server is left at the release root: its folder is
 * already release-relative. Pure.
 */
export function inPackageFolder(plans: ProcessPlan[], facts: ReleaseFacts, staticServer: string): ProcessPlan[] {
	const root = facts.workspace?.root;
	if (!root) return plans;
	return plans.map((plan) => (plan.command.startsWith(`${staticServer} `) ? plan : { ...plan, dir: root }));
}

/**
 * The processes to start. Planned after the build, whose output may be the entry
 * point (package.json "main": "dist/server.js"). A static site's web process is
 * `staticServer` (the agent's own file server) on its folder.
 */
export function planProcesses(spec: AppSpec, facts: ReleaseFacts, staticServer = "deploy-static"): ProcessPlan[] {
	const web = spec.processes.web;
	const fromProcfile = procfile(facts);
	const site = planStatic(spec, facts);
	const webCommandLine = web?.command ?? fromProcfile.find((p) => p.name === "web")?.command ?? (site ? `${staticServer} ${shellQuote(site.dir)}${site.spa ? " --spa" : ""}` : webCommand(spec, facts));
	const processes: ProcessPlan[] = [
		{
			name: "web",
			command: webCommandLine,
			instances: web?.instances ?? 1,
			web: true,
			healthcheck: web?.healthcheck ?? DEFAULT_HEALTHCHECK,
			drainSeconds: web?.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
			...(web?.limits ? { limits: web.limits } : {}),
		},
	];
	const names = new Set([...fromProcfile.map((p) => p.name), ...Object.keys(spec.processes)]);
	for (const name of names) {
		if (name === "web") continue;
		const process = spec.processes[name];
		const command = process?.command ?? fromProcfile.find((p) => p.name === name)?.command;
		if (!command) {
			throw new DeployError("NO_START_COMMAND", `Process "${name}" has no command.`, `Set processes.${name}.command in deploy.yaml.`);
		}
		processes.push({
			name,
			command,
			instances: process?.instances ?? 1,
			web: false,
			healthcheck: process?.healthcheck ?? DEFAULT_HEALTHCHECK,
			drainSeconds: process?.drainSeconds ?? DEFAULT_DRAIN_SECONDS,
			...(process?.limits ? { limits: process.limits } : {}),
		});
	}
	return processes;
}

/** The whole detection as `deploy init` shows it: commands as strings, null for a skipped step. Pure. */
export function describeDetection(spec: AppSpec, facts: ReleaseFacts): Detection {
	const build = planBuild(spec, facts);
	const site = planStatic(spec, facts);
	let processes: Record<string, string> = {};
	try {
		processes = Object.fromEntries(planProcesses(spec, facts).filter((p) => !(site && p.web)).map((p) => [p.name, p.command]));
	} catch (error) {
		// Before a build, the entry point may not exist yet: detection still shows the rest.
		if (!(error instanceof DeployError)) throw error;
	}
	return {
		framework: frameworkOf(spec, facts),
		packageManager: build.packageManager,
		install: "command" in build.install ? build.install.command : null,
		build: "command" in build.build ? build.build.command : null,
		processes,
		// deploy.yaml's static.dir is the package's folder's, as the user sees it.
		static: site && facts.workspace ? { ...site, dir: posix.relative(facts.workspace.root, site.dir) || "." } : site,
	};
}

/** The files whose presence detection asks about; the pipeline checks which exist. */
export function candidateFiles(pkg: PackageJson | null): string[] {
	const names = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "server.js", "index.js", ...PLAIN_SITE_PAGES];
	return pkg?.main ? [...names, normalize(pkg.main)] : names;
}

export function packageManagerOf({ pkg, files }: ReleaseFacts): PackageManager {
	if (files.includes("pnpm-lock.yaml")) return "pnpm";
	if (files.includes("yarn.lock")) return "yarn";
	if (files.includes("package-lock.json") || files.includes("npm-shrinkwrap.json")) return "npm";
	const declared = pkg?.packageManager?.split("@")[0];
	return declared === "pnpm" || declared === "yarn" ? declared : "npm";
}

function convention(spec: AppSpec, facts: ReleaseFacts): RunConvention {
	const slug = frameworkOf(spec, facts);
	const output = spec.framework && spec.framework !== facts.framework?.slug ? undefined : facts.framework?.outputDirectory;
	return conventionFor(slug, { pkg: facts.pkg, files: facts.files, contents: facts.contents ?? {} }, output);
}

function procfile(facts: ReleaseFacts): { name: string; command: string }[] {
	const text = facts.contents?.Procfile;
	return text ? parseProcfile(text) : [];
}

function installStep(spec: AppSpec, { pkg, files }: ReleaseFacts, pm: PackageManager): StepPlan {
	if (spec.install) return { command: spec.install };
	const lock = { npm: ["package-lock.json", "npm-shrinkwrap.json"], pnpm: ["pnpm-lock.yaml"], yarn: ["yarn.lock"] }[pm];
	if (lock.some((name) => files.includes(name))) return { command: { npm: "npm ci", pnpm: "pnpm install --frozen-lockfile", yarn: "yarn install --frozen-lockfile" }[pm] };
	if (!pkg) return { skip: "no package.json" };
	const hasDeps = Object.keys(pkg.dependencies ?? {}).length + Object.keys(pkg.devDependencies ?? {}).length > 0;
	return hasDeps ? { command: `${pm} install` } : { skip: "no dependencies" };
}

/** A workspace always installs, dependencies or not: the install links its packages into node_modules. */
function workspaceInstall(spec: AppSpec, workspace: WorkspaceFacts, pm: PackageManager): StepPlan {
	if (spec.install) return { command: spec.install };
	const frozen = installStep(spec, { pkg: workspace.pkg, files: workspace.files }, pm);
	return "command" in frozen && frozen.command !== `${pm} install` ? frozen : { command: `${pm} install` };
}

function buildStep(spec: AppSpec, { pkg }: ReleaseFacts, pm: PackageManager): StepPlan {
	if (spec.build) return { command: spec.build };
	return pkg?.scripts?.build ? { command: `${pm} run build` } : { skip: "no build script" };
}

/**
 * The framework's own start command, else the start script's own command line (not
 * `npm start`: no npm process then sits between the agent and the app, so signals
 * reach the app; node_modules/.bin is on PATH), else main, server.js or index.js.
 */
function webCommand(spec: AppSpec, facts: ReleaseFacts): string {
	const run = convention(spec, facts);
	if (run.kind === "server" && run.command) return run.command;
	const { pkg, files } = facts;
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
	return name.replace(/^\.\//, "").replace(/\/$/, "");
}
