import type { envMethods } from "../../core/protocol/env.js";
import { DeployError } from "../../core/protocol/index.js";
import { readReleaseSpec } from "../deploy/release-spec.js";
import { applyEnvChange, describeChange } from "../env/change.js";
import { runEnvRelease } from "../env/env-release.js";
import { readEnvVars, writeEnvVars } from "../env/store.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/** issue 7: the handlers of core/protocol/env.ts. */
export const envHandlers: { [M in keyof typeof envMethods]: Handler<M> } = {
	"env.list": async ({ app, environment, reveal }, { agent }) => {
		const vars = await readEnvVars(agent.home, app, environment);
		return {
			app,
			environment,
			vars: Object.keys(vars)
				.sort()
				.map((key) => ({ key, value: reveal ? vars[key]!.value : null, updatedAt: vars[key]!.updatedAt })),
		};
	},
	"env.change": async ({ app, environment, set, unset, wait }, call) =>
		underLock(call, app, { operation: "deploy", deploymentId: null }, wait, async () => {
			const { agent } = call;
			const { vars, summary } = applyEnvChange(await readEnvVars(agent.home, app, environment), set, unset, new Date().toISOString());
			const changed = summary.added.length + summary.changed.length + summary.removed.length > 0;
			const live = agent.supervisor.live(app);
			const release = live ? await readReleaseSpec(agent.home, app, live) : null;
			// Only production runs on the app itself; preview values wait for the next preview deploy.
			if (!changed || environment !== "production" || !live || !release) {
				if (changed) await writeEnvVars(agent.home, app, environment, vars);
				return { app, environment, summary, deployment: null };
			}
			if (!agent.driver) throw new DeployError("NOT_SET_UP", "This server has not been set up yet (no proxy is configured).", "Run `deploy servers add` for this server first.");
			const deployment = await runEnvRelease(agent, { app, environment, live: { id: live, release }, vars, note: describeChange(summary) }, call.signal, call.emit);
			return { app, environment, summary, deployment };
		}),
};
