import { access, rm } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { type AppSpec, DeployError, type DeploymentRecord, type ManifestEntry } from "../../core/protocol/index.js";
import { buildGroupFile } from "../build/build-group.js";
import { failureHint } from "../build/failure.js";
import { buildLimits } from "../build/limits.js";
import { packagesWithOwnModules } from "../build/workspace-modules.js";
import { buildKey, depsKey } from "../cache/keys.js";
import type { HasBuilders, HasHome, HasLog, HasSetup, HasStore, HasTuning } from "../context/parts.js";
import { frameworkOf, planBuild, type ReleaseFacts } from "../detect/plan.js";
import { checkManifestLinks, materialize } from "./materialize.js";
import { readReleaseFacts } from "../detect/release-facts.js";
import { runCommand } from "./run-command.js";
import { type AppRuntime, chooseAppRuntime } from "../runtime/choose.js";
import { prepareApp } from "../isolation/prepare.js";
import { lendNpmConfig } from "../isolation/npm-config.js";
import { processIsolation } from "../isolation/probe.js";
import type { StepReporter } from "./steps.js";

type CacheUse = NonNullable<DeploymentRecord["cache"]>;

export interface BuiltRelease {
	facts: ReleaseFacts;
	framework: string | null;
	cache: CacheUse;
	/** Issue 12: the Node.js it was built with and runs on. */
	runtime: AppRuntime;
}

export interface BuildContext {
	/** The parts of the agent a build uses. */
	agent: HasHome & HasBuilders & HasStore & HasTuning & HasSetup & HasLog;
	spec: AppSpec;
	manifest: ManifestEntry[];
	releaseDir: string;
	steps: StepReporter;
	signal: AbortSignal;
	onLine: (line: string, stream: "stdout" | "stderr") => void;
}

/**
 * Writes the release folder and makes it ready to start: from the build cache when
 * every build input is the same as a cached build (no install, no build), else
 * materialize, install (node_modules from the dependency cache when the lockfile,
 * Node and package manager are the same) and build. Install and build take a slot
 * of the build queue, run under the build limits and the build timeout.
 */
export async function buildRelease(ctx: BuildContext): Promise<BuiltRelease> {
	const runtime = await chooseAppRuntime(ctx.agent.runtimes, ctx.agent.store, ctx.manifest, ctx.agent.setup?.nodeMirror, ctx.steps, (line) => ctx.onLine(line, "stdout"), ctx.spec.root);
	try {
		return await buildOn(ctx, runtime);
	} catch (error) {
		runtime.release();
		throw error;
	}
}

async function buildOn(ctx: BuildContext, runtime: AppRuntime): Promise<BuiltRelease> {
	const { agent, spec, manifest, releaseDir, steps, signal, onLine } = ctx;
	const node = runtime.label;
	const deps = depsKey(manifest, spec, node);
	const build = buildKey(manifest, spec, deps);
	// Issue 13: the app's user and folders first; a server that should isolate but cannot builds nothing.
	const identity = await prepareApp(agent.home, spec.name);
	if (await agent.cache.restore(spec.name, "build", build, releaseDir).catch(() => false)) {
		await prepareApp(agent.home, spec.name, { dir: releaseDir });
		// Not materialized here: the links are checked all the same before anything reads through them.
		await checkManifestLinks(releaseDir, manifest);
		const facts = await readReleaseFacts(releaseDir, spec.root);
		steps.skip("install", "build cache hit: the release is restored as built before");
		steps.skip("build", `build cache hit (${build.slice(0, 12)}): nothing to rebuild`);
		return { facts, framework: frameworkOf(spec, facts), cache: { install: "hit", build: "hit" }, runtime };
	}
	await steps.run("prepare", async () => {
		const missing = await agent.store.missing(manifest.map((e) => e.id));
		if (missing.length > 0) {
			throw new DeployError("OBJECTS_MISSING", `${missing.length} file(s) of the manifest were never uploaded.`, "Run the deploy again; the client uploads what is missing.", missing.slice(0, 20));
		}
		await materialize(releaseDir, manifest, agent.store);
		// Written by the agent: the app's own from here, for its install, build and run.
		await prepareApp(agent.home, spec.name, { dir: releaseDir, always: true });
	});
	const facts = await readReleaseFacts(releaseDir, spec.root);
	const framework = frameworkOf(spec, facts);
	const plan = planBuild(spec, facts);
	onLine(`detected: framework ${framework ?? "none"}, package manager ${plan.packageManager}, node ${node}`, "stdout");
	const cache: CacheUse = { install: "skipped", build: "skipped" };
	if ("skip" in plan.install && "skip" in plan.build) {
		steps.skip("install", plan.install.skip);
		steps.skip("build", plan.build.skip);
		return { facts, framework, cache, runtime };
	}
	const limits = await buildLimits(agent.tuning.buildMemoryMb, cpus().length);
	// As the app's user, with the npm config of the agent's user lent for the build (issue 13).
	const npmConfig = await lendNpmConfig(agent.home, spec.name, identity);
	const isolated = processIsolation(spec.name);
	const runAs = { prefix: isolated.prefix, env: { ...isolated.env, ...npmConfig.env } };
	const deadline = new AbortController();
	const timer = setTimeout(
		() =>
			deadline.abort(
				new DeployError("BUILD_TIMEOUT", `Install and build took longer than ${spec.buildTimeoutSeconds} s and were stopped.`, "Raise buildTimeoutSeconds in deploy.yaml, or find what hangs (a prompt waiting for input, a watch mode)."),
			),
		spec.buildTimeoutSeconds * 1000,
	);
	const buildSignal = AbortSignal.any([signal, deadline.signal]);
	const run = (step: "install" | "build", command: string, cwd = releaseDir) =>
		runCommand({
			command,
			cwd,
			env: spec.env,
			nodeBin: runtime.binDir,
			signal: buildSignal,
			onLine,
			limits,
			groupFile: buildGroupFile(agent.home, spec.name),
			runAs,
			failure: ({ exitCode, signal: killedBy, lastLines }) =>
				new DeployError(
					step === "install" ? "INSTALL_FAILED" : "BUILD_FAILED",
					`The ${step} step failed: \`${command}\` ${exitCode !== undefined ? `exited with code ${exitCode}` : `was killed by ${killedBy ?? "a signal"}`}.`,
					failureHint({ step, command, exitCode, signal: killedBy, lastLines, pkg: facts.pkg, nodeVersion: node }),
					lastLines,
				),
		});
	try {
		await agent.buildQueue.run(buildSignal, (ahead) => onLine(`waiting for a build slot: ${ahead} build(s) running or queued (limit ${agent.buildQueue.limit})`, "stdout"), async () => {
			onLine(limits.description, "stdout");
			if ("skip" in plan.install) steps.skip("install", plan.install.skip);
			else {
				const command = plan.install.command;
				const modules = join(releaseDir, "node_modules");
				const present = await access(modules).then(() => true, () => false);
				if (!present && (await agent.cache.restore(spec.name, "deps", deps, modules).catch(() => false))) {
					await prepareApp(agent.home, spec.name, { dir: modules });
					cache.install = "hit";
					steps.skip("install", `dependency cache hit (${deps.slice(0, 12)}): node_modules restored`);
				} else {
					cache.install = "miss";
					await steps.run("install", () => run("install", command), () => `dependency cache miss (${deps.slice(0, 12)}): installed`);
					const own = spec.root ? await packagesWithOwnModules(releaseDir, manifest) : [];
					if (own.length > 0) onLine(`dependencies not cached: workspace packages have node_modules of their own (${own.slice(0, 3).join(", ")}), which the cache does not keep`, "stdout");
					else if (await access(modules).then(() => true, () => false)) {
						await agent.cache.store(spec.name, "deps", deps, modules).catch((error) => agent.log(`cannot cache the dependencies of ${spec.name}: ${(error as Error).message}`));
					}
				}
			}
			if ("skip" in plan.build) steps.skip("build", plan.build.skip);
			else {
				const command = plan.build.command;
				cache.build = "miss";
				await steps.run("build", () => run("build", command, join(releaseDir, plan.buildDir ?? "")), () => `build cache miss (${build.slice(0, 12)}): built`);
				await agent.cache.store(spec.name, "build", build, releaseDir).catch((error) => agent.log(`cannot cache the build of ${spec.name}: ${(error as Error).message}`));
			}
		});
	} catch (error) {
		if (deadline.signal.aborted && !signal.aborted) throw deadline.signal.reason;
		throw error;
	} finally {
		clearTimeout(timer);
		await npmConfig.giveBack();
	}
	// The build may have created the entry point (main: dist/server.js): read again.
	const built = "skip" in plan.build ? facts : await readReleaseFacts(releaseDir, spec.root);
	return { facts: built, framework, cache, runtime };
}

/** Removes a release folder a failed restore or build left half-written. */
export async function removeRelease(dir: string): Promise<void> {
	await rm(dir, { recursive: true, force: true });
}
