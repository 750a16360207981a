import { type AppSpec, type DeployEvent, type DeploymentRecord, type ManifestEntry, DeployError, toErrorInfo } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";
import { appPaths } from "../home.js";
import { DeployLog } from "./deploy-log.js";
import { planBuild, planProcesses, type StepPlan } from "./detect.js";
import { materialize } from "./materialize.js";
import { readReleaseFacts } from "./release-facts.js";
import { writeReleaseSpec } from "./release-spec.js";
import { pruneReleases } from "./releases.js";
import { recordLive, writeRecord } from "./records.js";
import { runCommand } from "./run-command.js";
import { checkHealth, startProcesses } from "./start.js";
import { StepReporter } from "./steps.js";
import { reportDrain, switchLive, urlFor } from "./switch.js";

export interface DeployInput {
	app: AppSpec;
	manifest: ManifestEntry[];
	commit: string | null;
}

/**
 * One deployment, start to finish, run under the app's deploy lock. Any failure or
 * cancel before the switch leaves the previous release and its route as they were:
 * new instances are stopped, the record says why. After the switch the deployment is
 * live, whatever happens to the client.
 */
export async function runDeployment(agent: Agent, id: string, input: DeployInput, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<DeploymentRecord> {
	agent.requireDriver();
	const spec = input.app;
	const paths = appPaths(agent.home, spec.name);
	let record: DeploymentRecord = { id, app: spec.name, status: "building", commit: input.commit, url: null, createdAt: new Date().toISOString(), finishedAt: null, error: null };
	await writeRecord(agent.home, record);
	const deployLog = new DeployLog(paths.deployLog(id));
	const steps = new StepReporter(emit);
	const onLine = (line: string, stream: "stdout" | "stderr") => {
		deployLog.write(line);
		emit({ type: "log", ...(steps.current ? { step: steps.current } : {}), stream, line });
	};
	const releaseDir = paths.release(id);
	let switched = false;
	try {
		await steps.run("prepare", async () => {
			const missing = await agent.store.missing(input.manifest.map((e) => e.id));
			if (missing.length > 0) {
				throw new DeployError("OBJECTS_MISSING", `${missing.length} file(s) of the manifest were never uploaded.`, "Run the deploy again; the client uploads what is missing.", missing.slice(0, 20));
			}
			await materialize(releaseDir, input.manifest, agent.store);
		});
		const buildPlan = planBuild(spec, await readReleaseFacts(releaseDir));
		const runStep = async (step: "install" | "build", plan: StepPlan, failure: { code: string; hint: string }) => {
			signal.throwIfAborted();
			if ("skip" in plan) return steps.skip(step, plan.skip);
			await steps.run(step, () => runCommand({ command: plan.command, cwd: releaseDir, env: spec.env, signal, onLine, failure: { ...failure, what: step } }));
		};
		await runStep("install", buildPlan.install, { code: "INSTALL_FAILED", hint: "Read the output above; check that the lockfile matches package.json, or set `install` in deploy.yaml." });
		await runStep("build", buildPlan.build, { code: "BUILD_FAILED", hint: "Read the output above; run the build locally to reproduce it, or set `build` in deploy.yaml." });
		signal.throwIfAborted();
		record = { ...record, status: "deploying" };
		await writeRecord(agent.home, record);
		const { plans, instances } = await steps.run("start", async () => {
			const plans = planProcesses(spec, await readReleaseFacts(releaseDir));
			// The release is whole from here: a rollback starts these very plans with this spec.
			await writeReleaseSpec(agent.home, { id, spec, processes: plans });
			for (const plan of plans) onLine(`${plan.name}: ${plan.command} (x${plan.instances})`, "stdout");
			return { plans, instances: await startProcesses(agent, { app: spec.name, deploymentId: id, releaseDir, env: spec.env }, plans) };
		});
		const web = plans.find((p) => p.web)!;
		await steps.run("healthcheck", () => checkHealth(agent, spec.name, instances.filter((i) => i.record.web), web, signal));
		signal.throwIfAborted();
		const { drained } = await steps.run("route", async () => {
			const switchedTo = await switchLive(agent, spec, id, instances);
			switched = true;
			return switchedTo;
		});
		record = await recordLive(agent.home, spec.name, id, urlFor(agent, spec));
		reportDrain(agent, spec.name, id, drained, emit);
		// The deployment is live from here on: a failed cleanup is reported, not fatal.
		await steps
			.run("cleanup", async () => {
				const removed = await pruneReleases(agent.home, spec.name, agent.supervisor.deploymentsInUse(spec.name), spec.keepReleases);
				if (removed.length > 0) onLine(`removed old releases: ${removed.join(", ")}`, "stdout");
			})
			.catch((error) => agent.log(`cleanup of ${spec.name} failed: ${(error as Error).message}`));
		return record;
	} catch (error) {
		if (switched) throw error;
		await agent.supervisor.discard(spec.name, id).catch((e) => agent.log(`cannot stop instances of ${id}: ${(e as Error).message}`));
		record = { ...record, status: signal.aborted ? "interrupted" : "failed", finishedAt: new Date().toISOString(), error: toErrorInfo(signal.aborted ? signal.reason : error) };
		await writeRecord(agent.home, record);
		throw signal.aborted ? signal.reason : error;
	} finally {
		await deployLog.close();
	}
}
