import type { DeploymentSource } from "../../core/protocol/source-info.js";
import { type AppSpec, type DeployEvent, type DeploymentRecord, type ManifestEntry, toErrorInfo } from "../../core/protocol/index.js";
import { checkDisk } from "../build/disk.js";
import { manifestHash, specHash } from "../cache/keys.js";
import type { HasBuilders, HasStore, HasTuning } from "../context/parts.js";
import { currentReleaseSecrets, inputsSpec } from "../env/release-secrets.js";
import { appPaths } from "../home.js";
import { shellQuote } from "../../core/protocol/shell-quote.js";
import { formatSize } from "../../core/protocol/size.js";
import { buildRelease } from "./build-phase.js";
import { DeployLog } from "./deploy-log.js";
import { inPackageFolder, planProcesses, planStatic } from "../detect/plan.js";
import { checkStaticFolder } from "./release-paths.js";
import { writeReleaseSpec } from "./release-spec.js";
import { pruneReleases } from "./releases.js";
import { recordLive, writeRecord } from "./records.js";
import { type GoLiveContext, goLive } from "./go-live.js";
import { planRelease } from "./go-live-plan.js";
import { StepReporter } from "./steps.js";
import { siteRoot } from "./switch.js";
import { deploymentUrls } from "./urls.js";
import { unchangedLive } from "./unchanged.js";
import { pruneRuntimes } from "../runtime/prune.js";
import { collectUnused, describeCount } from "../objects/collect.js";

export interface DeployInput {
	app: AppSpec;
	/** Read after the unchanged check: a no-change redeploy answers without it (deploy-request.ts). */
	manifest: () => Promise<ManifestEntry[]>;
	/** The manifest's hash when the request vouched for it already (release-manifest.ts): not computed again. */
	manifestHash?: string;
	commit: string | null;
	branch?: string;
	message?: string;
	/** Issue 18: how the files came; an upload when not said. */
	source?: DeploymentSource;
	/** Issue 18 (`deploy redeploy`): a new release even when source, config and env equal the live one's. */
	force?: boolean;
}

/** Build output lines sent to the client per deployment; the rest goes to the deployment's log only. */
const STREAMED_LINES = 10_000;

/** What was deployed, as the record keeps it (issue 14): the client's commit names a dirty tree with `-dirty`. */
function sourceFields(input: DeployInput): Pick<DeploymentRecord, "commit" | "branch" | "message" | "dirty" | "source"> {
	return {
		source: input.source ?? "upload",
		commit: input.commit,
		...(input.branch ? { branch: input.branch } : {}),
		...(input.message ? { message: input.message } : {}),
		...(input.commit ? { dirty: input.commit.endsWith("-dirty") } : {}),
	};
}

/** The agent's own static file server, as a command line for a static site's web instances. */
function staticServerCommand(): string {
	return `${shellQuote(process.execPath)} ${shellQuote(process.argv[1] ?? "agent.mjs")} serve-static`;
}

/**
 * One deployment, start to finish, run under the app's deploy lock. Any failure or
 * cancel before the switch leaves the previous release and its route as they were:
 * new instances are stopped, the record says why. After the switch the deployment is
 * live, whatever happens to the client. A deploy that would change nothing answers
 * with the live record at once.
 */
export async function runDeployment(agent: GoLiveContext & HasBuilders & HasStore & HasTuning, id: string, input: DeployInput, signal: AbortSignal, emit: (event: DeployEvent) => void): Promise<DeploymentRecord> {
	const driver = agent.requireDriver();
	const spec = input.app;
	// A preview app runs with the "preview" env of the app it previews (`deploy env --env preview`).
	const secrets = spec.preview ? await currentReleaseSecrets(agent.home, spec.preview.of, "preview") : await currentReleaseSecrets(agent.home, spec.name);
	const inputs = { manifest: input.manifestHash ?? manifestHash(await input.manifest()), spec: inputsSpec(specHash(spec), secrets) };
	const same = input.force ? null : await unchangedLive(agent, spec.name, inputs);
	if (same) {
		emit({ type: "step", step: "prepare", status: "skipped", message: `unchanged: the live release ${same.id} has the same source, config and env; nothing rebuilt or restarted` });
		return same;
	}
	// Before any record: a base that went away answers MANIFEST_BASE_UNKNOWN, and the client sends everything.
	const manifest = await input.manifest();
	const paths = appPaths(agent.home, spec.name);
	let record: DeploymentRecord = { id, app: spec.name, status: "building", ...sourceFields(input), url: null, createdAt: new Date().toISOString(), finishedAt: null, error: null };
	await writeRecord(agent.home, record);
	const deployLog = new DeployLog(paths.deployLog(id));
	const steps = new StepReporter(emit);
	let streamed = 0;
	const onLine = (line: string, stream: "stdout" | "stderr") => {
		deployLog.write(line);
		streamed += 1;
		if (streamed > STREAMED_LINES + 1) return;
		const shown = streamed > STREAMED_LINES ? `[more output is not streamed; it is in the deployment's log, up to its size cap]` : line;
		emit({ type: "log", ...(steps.current ? { step: steps.current } : {}), stream, line: shown });
	};
	const releaseDir = paths.release(id);
	let releaseRuntime: () => void = () => undefined;
	try {
		const free = await checkDisk(agent.home.root);
		onLine(`disk: ${formatSize(free)} free`, "stdout");
		const built = await buildRelease({ agent, spec, manifest, releaseDir, steps, signal, onLine });
		releaseRuntime = built.runtime.release;
		signal.throwIfAborted();
		record = { ...record, status: "deploying", ...(built.framework ? { framework: built.framework } : {}), cache: built.cache, node: built.runtime.label };
		await writeRecord(agent.home, record);
		const site = planStatic(spec, built.facts);
		const served = siteRoot(agent, spec.name, id, site);
		// The proxy serves the files itself: no web process of ours is needed.
		const processes = () => inPackageFolder(planProcesses(spec, built.facts, staticServerCommand()), built.facts, staticServerCommand()).map((p) => (p.web && served ? { ...p, instances: 0 } : p));
		record = await goLive(agent, { app: spec.name, deploymentId: id, releaseDir, spec, processes, site: served }, (plans) => planRelease(plans), {
			signal,
			emit,
			steps,
			beforeStart: async (plans) => {
				// Whoever serves it (the proxy or our static server), the folder and its links stay in the release.
				if (site) await checkStaticFolder(releaseDir, site.dir);
				// The release is whole from here: a rollback starts these very plans with this spec.
				await writeReleaseSpec(agent.home, { id, spec, processes: [...plans], static: site, inputs, framework: built.framework, cache: built.cache, ...(secrets.sealed ? { secrets: secrets.sealed } : {}), ...(built.runtime.version ? { node: built.runtime.version } : {}) });
				if (served) onLine(`web: ${site?.dir} served as files by ${driver.kind}${site?.spa ? " (SPA fallback to index.html)" : ""}`, "stdout");
				for (const plan of plans) if (plan.instances > 0) onLine(`${plan.name}: ${plan.command} (x${plan.instances})`, "stdout");
			},
			onLive: async () => recordLive(agent.home, spec.name, id, await deploymentUrls(agent, spec)),
		});
		// The deployment is live from here on: a failed cleanup is reported, not fatal.
		await steps
			.run("cleanup", async () => {
				const removed = await pruneReleases(agent.home, spec.name, agent.supervisor.deploymentsInUse(spec.name), spec.keepReleases);
				if (removed.length > 0) {
					onLine(`removed old releases: ${removed.join(", ")}`, "stdout");
					// Their files may be the last users of some uploaded objects. This deploy's own are held by its lease.
					await collectUnused(agent).then(
						({ unused }) => unused.objects > 0 && onLine(`removed ${describeCount(unused)} that no kept release uses`, "stdout"),
						(error) => onLine(`uploaded files were not collected: ${(error as Error).message}`, "stderr"),
					);
				}
				const runtimes = await pruneRuntimes(agent.home, agent.runtimes);
				if (runtimes.length > 0) onLine(`removed Node.js runtimes no kept release uses: ${runtimes.map((v) => `v${v}`).join(", ")}`, "stdout");
			})
			.catch((error) => agent.log(`cleanup of ${spec.name} failed: ${(error as Error).message}`));
		return record;
	} catch (error) {
		// Past the commit point the deployment is live: what failed after it is not its failure.
		if (agent.supervisor.live(spec.name) === id) throw error;
		const failure = signal.aborted ? signal.reason : error;
		const info = toErrorInfo(failure);
		onLine(`${info.code}: ${info.message}`, "stderr");
		record = { ...record, status: signal.aborted ? "interrupted" : "failed", finishedAt: new Date().toISOString(), error: info };
		await writeRecord(agent.home, record);
		throw failure;
	} finally {
		releaseRuntime();
		await deployLog.close();
	}
}

