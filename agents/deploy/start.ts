import { type AppSpec, DeployError } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";
import type { Instance } from "../processes/instance.js";
import { freePort } from "../processes/free-port.js";
import { lastLines } from "../util/tail.js";
import { appPaths } from "../home.js";
import type { ProcessPlan } from "./detect.js";
import { waitHealthy } from "./healthcheck.js";

/** Starts every instance of every process on its own free port; none is live yet. */
export async function startProcesses(agent: Agent, spec: AppSpec, deploymentId: string, releaseDir: string, plans: ProcessPlan[]): Promise<Instance[]> {
	const launches = [];
	for (const plan of plans) {
		for (let i = 0; i < plan.instances; i++) {
			launches.push({ process: plan.name, web: plan.web, command: plan.command, cwd: releaseDir, env: spec.env, port: await freePort() });
		}
	}
	return agent.supervisor.start(spec.name, deploymentId, launches);
}

/** Waits until every web instance is healthy; fails at once when one exits. */
export async function checkHealth(agent: Agent, app: string, instances: Instance[], plan: ProcessPlan, signal: AbortSignal): Promise<void> {
	const results = await Promise.all(
		instances.map(async (instance) => ({
			instance,
			result: await waitHealthy({
				port: instance.record.port,
				path: plan.healthcheck.path,
				timeoutSeconds: plan.healthcheck.timeoutSeconds,
				signal,
				exited: () => (instance.exit ? describeExit(instance.exit) : null),
			}),
		})),
	);
	const failed = results.find((r) => !r.result.ok);
	if (!failed || failed.result.ok) return;
	const { detail, crashed } = failed.result;
	const logTail = (await lastLines(appPaths(agent.home, app).appLog, 20)).lines;
	const details = [detail, ...logTail];
	if (crashed) {
		throw new DeployError("APP_CRASHED", `The web process (\`${plan.command}\`) ${detail} before it became healthy.`, "Read the app's output below; run the start command locally with PORT set to reproduce it.", details);
	}
	throw new DeployError(
		"HEALTHCHECK_FAILED",
		`The web process did not become healthy within ${plan.healthcheck.timeoutSeconds} s (${detail}).`,
		"Make sure the app listens on the port in $PORT (on 127.0.0.1 or all interfaces), or raise processes.web.healthcheck.timeoutSeconds.",
		details,
	);
}

function describeExit({ code, signal }: { code: number | null; signal: string | null }): string {
	return signal ? `was killed by ${signal}` : `exited with code ${code ?? "unknown"}`;
}
