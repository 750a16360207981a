import { execa } from "execa";
import type { EnvEnvironment } from "../../core/protocol/env.js";
import { type DeployEvent, type DeploymentRecord, toErrorInfo } from "../../core/protocol/index.js";
import { specHash } from "../cache/keys.js";
import type { HasStore, HasTuning } from "../context/parts.js";
import { newDeploymentId } from "../deploy/deployment-id.js";
import { DeployLog } from "../deploy/deploy-log.js";
import { type ReleaseSpec, writeReleaseSpec } from "../deploy/release-spec.js";
import { pruneReleases } from "../deploy/releases.js";
import { collectUnused } from "../objects/collect.js";
import { readRecords, recordLive, writeRecord } from "../deploy/records.js";
import { type GoLiveContext, goLive } from "../deploy/go-live.js";
import { planRelease } from "../deploy/go-live-plan.js";
import { StepReporter } from "../deploy/steps.js";
import { siteRoot } from "../deploy/switch.js";
import { deploymentUrls } from "../deploy/urls.js";
import { appPaths } from "../home.js";
import { inputsSpec, sealReleaseSecrets } from "./release-secrets.js";
import { type EnvVars, valuesOf, writeEnvVars } from "./store.js";

export interface EnvRelease {
	app: string;
	environment: EnvEnvironment;
	/** The live release whose build is reused. */
	live: { id: string; release: ReleaseSpec };
	vars: EnvVars;
	/** Keys only: what the deployment's log says changed. */
	note: string;
}

/**
 * A new release of the live build with new env: the live release folder is copied as
 * hardlinks (no install, no build), started with the new secrets, health-checked and
 * switched like a deploy; the old instances drain. The values are stored only once it
 * is live, so a release that fails leaves the env and the live release as they were.
 * It is a deployment like any other: `deploy ls` lists it, `deploy rollback` goes back
 * to the previous one, with its env.
 */
export async function runEnvRelease(agent: GoLiveContext & HasStore & HasTuning, change: EnvRelease, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<DeploymentRecord> {
	agent.requireDriver();
	// A daemon that just started drains instances of releases that are not live once its
	// proxy is up: new instances started before that would be taken for strays.
	await agent.proxyReady;
	const { app, live } = change;
	const { release } = live;
	const paths = appPaths(agent.home, app);
	const previous = (await readRecords(agent.home, app)).find((r) => r.id === live.id);
	const id = newDeploymentId();
	let record: DeploymentRecord = {
		id,
		app,
		status: "deploying",
		commit: previous?.commit ?? null,
		// The same code as the live release: the same source facts (issue 14).
		...(previous?.branch ? { branch: previous.branch } : {}),
		...(previous?.message ? { message: previous.message } : {}),
		...(previous?.dirty !== undefined ? { dirty: previous.dirty } : {}),
		url: null,
		createdAt: new Date().toISOString(),
		finishedAt: null,
		error: null,
		...(release.framework ? { framework: release.framework } : {}),
		cache: { install: "skipped", build: "skipped" },
		...(previous?.node ? { node: previous.node } : {}),
	};
	await writeRecord(agent.home, record);
	const deployLog = new DeployLog(paths.deployLog(id));
	const steps = new StepReporter(emit);
	const reused = `env change: reuses the build of ${live.id}, nothing installed or built`;
	try {
		deployLog.write(`${reused}; ${change.note}`);
		await steps.run("prepare", () => execa("cp", ["-al", paths.release(live.id), paths.release(id)]), () => reused);
		steps.skip("install", reused);
		steps.skip("build", reused);
		const secrets = sealReleaseSecrets(agent.home, valuesOf(change.vars));
		const baseSpecHash = release.inputs?.spec.split("+")[0] ?? specHash(release.spec);
		await writeReleaseSpec(agent.home, {
			id,
			spec: release.spec,
			processes: release.processes,
			static: release.static ?? null,
			...(release.inputs ? { inputs: { manifest: release.inputs.manifest, spec: inputsSpec(baseSpecHash, secrets) } } : {}),
			framework: release.framework ?? null,
			...(release.cache ? { cache: release.cache } : {}),
			...(secrets.sealed ? { secrets: secrets.sealed } : {}),
			...(release.node ? { node: release.node } : {}),
		});
		// As many instances as run now: a scale of the live release carries over.
		const counts = Object.fromEntries(release.processes.map((p) => [p.name, agent.supervisor.liveInstances(app).filter((i) => i.record.process === p.name).length || p.instances]));
		const target = { app, deploymentId: id, releaseDir: paths.release(id), spec: release.spec, processes: release.processes, site: siteRoot(agent, app, id, release.static) };
		record = await goLive(agent, target, (processes) => planRelease(processes, counts), {
			signal,
			emit,
			steps,
			onLive: async () => {
				// The values are stored once they are live: a release that fails leaves the env as it was.
				await writeEnvVars(agent.home, app, change.environment, change.vars);
				return recordLive(agent.home, app, id, await deploymentUrls(agent, release.spec));
			},
		});
		await pruneReleases(agent.home, app, agent.supervisor.deploymentsInUse(app), release.spec.keepReleases)
			// The pruned releases may have been the last users of some uploaded objects.
			.then((removed) => (removed.length > 0 ? collectUnused(agent) : null))
			.catch((error) => agent.log(`cleanup of ${app} failed: ${(error as Error).message}`));
		return record;
	} catch (error) {
		// Past the commit point the release is live: what failed after it is not its failure.
		if (agent.supervisor.live(app) === id) throw error;
		const failure = signal.aborted ? signal.reason : error;
		const info = toErrorInfo(failure);
		deployLog.write(`${info.code}: ${info.message}`);
		record = { ...record, status: signal.aborted ? "interrupted" : "failed", finishedAt: new Date().toISOString(), error: info };
		await writeRecord(agent.home, record);
		throw failure;
	} finally {
		await deployLog.close();
	}
}
