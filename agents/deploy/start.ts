import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import { baseEnv } from "../util/env.js";
import type { HasHome, HasSupervisor } from "../context/parts.js";
import { appPaths } from "../home.js";
import { guardPort } from "../isolation/probe.js";
import { prepareApp } from "../isolation/prepare.js";
import { freePort } from "../processes/free-port.js";
import { describeExit, type Instance } from "../processes/instance.js";
import { listeningPorts } from "../processes/listening-ports.js";
import { outputFlushed } from "../processes/spawn.js";
import { lastLines } from "../util/tail.js";
import type { ProcessPlan } from "../detect/plan.js";
import { readReleaseSpec } from "./release-spec.js";
import { waitHealthy } from "./healthcheck.js";
import { wrongPortError } from "./wrong-port.js";

export interface ReleaseToStart {
	app: string;
	deploymentId: string;
	releaseDir: string;
	env: Record<string, string>;
}

/** Starts `count` (default: the plan's) instances of each process, each on its own fresh port; none gets traffic yet. */
export async function startProcesses(agent: HasHome & HasSupervisor, release: ReleaseToStart, plans: ProcessPlan[], counts: Record<string, number> = {}): Promise<Instance[]> {
	// The release's `deploy env` values travel sealed, from its spec to the spawner (agents/env).
	const kept = await readReleaseSpec(agent.home, release.app, release.deploymentId);
	const secrets = kept?.secrets;
	// Issue 12: every instance of a release runs on the Node.js it was built with.
	const node = kept?.node;
	// Issue 13: it runs as the app's user; a release of an older agent (root's files) becomes the app's first.
	await prepareApp(agent.home, release.app, { dir: release.releaseDir });
	const launches = [];
	for (const plan of plans) {
		for (let i = 0; i < (counts[plan.name] ?? plan.instances); i++) {
			const port = await freePort();
			// Closed to the outside before anything listens on it (where a firewall tool exists).
			await guardPort(port);
			launches.push({ process: plan.name, web: plan.web, command: plan.command, ...placeOf(plan, release),  ...(secrets ? { secrets } : {}), port, drainSeconds: plan.drainSeconds, ...(plan.limits ? { limits: plan.limits } : {}), ...(node ? { node } : {}) });
		}
	}
	return agent.supervisor.start(release.app, release.deploymentId, launches);
}

/**
 * Where an instance runs: the release root, or its package's folder in a workspace
 * (issue 14), where the workspace root's node_modules/.bin (hoisted bins such as
 * `next`) follows the package's own on PATH, as npm run does.
 */
function placeOf(plan: ProcessPlan, release: ReleaseToStart): { cwd: string; env: Record<string, string> } {
	if (!plan.dir) return { cwd: release.releaseDir, env: release.env };
	const path = release.env.PATH ?? baseEnv().PATH ?? "/usr/local/bin:/usr/bin:/bin";
	return { cwd: join(release.releaseDir, plan.dir), env: { ...release.env, PATH: `${join(release.releaseDir, "node_modules", ".bin")}:${path}` } };
}

/** Waits until every web instance is healthy; fails at once when one exits. */
export async function checkHealth(agent: HasHome, app: string, instances: Instance[], plan: ProcessPlan, signal: AbortSignal): Promise<void> {
	const { healthcheck } = plan;
	const results = await Promise.all(
		instances.map(async (instance) => ({
			instance,
			result: await waitHealthy({
				port: instance.record.port,
				path: healthcheck.path,
				expectedStatus: healthcheck.expectedStatus,
				timeoutSeconds: healthcheck.timeoutSeconds,
				intervalMs: healthcheck.intervalMs,
				signal,
				exited: () => (instance.exit ? describeExit(instance.exit) : null),
				listeningPorts: () => listeningPorts(instance.record.pid),
			}),
		})),
	);
	const failed = results.find((r) => !r.result.ok);
	if (!failed || failed.result.ok) return;
	const { detail, crashed } = failed.result;
	if (crashed) await outputFlushed(failed.instance.record.pid);
	const logTail = (await lastLines(appPaths(agent.home, app).appLog, 20)).lines;
	const details = [detail, ...logTail];
	if (failed.result.listensOn) throw wrongPortError(failed.instance.record.port, failed.result.listensOn, details);
	if (crashed) {
		throw new DeployError("APP_CRASHED", `The web process (\`${plan.command}\`) ${detail} before it became healthy.`, "The app's last output lines are shown with this error, and `deploy logs` has the rest; run the start command locally with PORT set to reproduce it.", details);
	}
	throw new DeployError(
		"HEALTHCHECK_FAILED",
		`The web process did not become healthy within ${healthcheck.timeoutSeconds} s (last check: ${detail}).`,
		"Make sure the app listens on the port in $PORT at the address in $HOST (127.0.0.1) and answers the health check path, or raise processes.web.healthcheck.timeoutSeconds.",
		details,
	);
}
