import type { scalingMethods } from "../../core/protocol/scaling.js";
import { readDecisions } from "../autoscale/decision-log.js";
import { processScalings } from "../autoscale/status.js";
import { currentEnforcement } from "../limits/probe.js";
import { currentIsolation } from "../isolation/probe.js";
import type { Handler } from "./call.js";
import { bootStatus } from "../system/boot.js";
import { collectUnused } from "../objects/collect.js";
import { secretsKeyStatus } from "../env/key-report.js";

/** issue 7: the handlers of core/protocol/scaling.ts. */
export const scalingHandlers: { [M in keyof typeof scalingMethods]: Handler<M> } = {
	"autoscale.status": async ({ app }, { agent }) => processScalings(agent, app),
	"autoscale.log": async ({ app, limit }, { agent }) => readDecisions(agent.home, app, limit),
	doctor: async (_params, { agent }) => {
		const { mode, reason } = currentEnforcement();
		// A store that cannot be measured (an unreadable manifest) leaves the line out rather than failing doctor.
		const objects = await collectUnused(agent, true).catch((error) => agent.log(`doctor: cannot measure the object store: ${(error as Error).message}`));
		// Issue 13: a lost secrets key named, with the apps it stops from starting again.
		const secrets = await secretsKeyStatus(agent.home, (app) => agent.supervisor.instancesOf(app).flatMap((i) => (i.record.secrets ? [i.record.secrets] : [])));
		return { timeMs: Date.now(), node: process.version, enforcement: { mode, reason }, boot: bootStatus(agent.home), isolation: currentIsolation().report, secrets, ...(objects ? { objects } : {}) };
	},
};
