import * as z from "zod";
import type { ApiContext } from "../api/context.js";
import type { AppTargetInput, ScaleInput, ScaleResult, StreamOptions } from "../api/types.js";
import { appName, type InstanceInfo } from "../protocol/index.js";
import { resolveTarget, withAppSession, withStore } from "./target.js";
import { validateInput } from "./validate-input.js";

const HINT = "`deploy ps` shows the app's processes and their instances.";

const targetInput = z.object({ dir: z.string().optional(), app: appName.optional(), server: z.string().min(1).optional() });

/** Same rule as deploy.yaml's process names; the counts as the agent accepts them. */
const scaleInput = targetInput.extend({
	processes: z
		.record(z.string().regex(/^[a-z][a-z0-9_-]{0,30}$/, "is not a process name (lowercase, like web or worker)"), z.number().int().min(0).max(64))
		.refine((processes) => Object.keys(processes).length > 0, "name at least one process, e.g. web=2"),
	wait: z.boolean().default(true),
});

/** `deploy ps`: one row per instance, as the agent supervises them. Every app of the server when no app is known. */
export async function listInstances(context: ApiContext, input: AppTargetInput, options: StreamOptions = {}): Promise<InstanceInfo[]> {
	const parsed = validateInput(targetInput, input, HINT);
	const target = await withStore((store) => resolveTarget(context, store, parsed, options, "read"));
	const session = await target.open();
	try {
		return await session.rpc.call("ps", target.app ? { app: target.app } : {}, options.signal ? { signal: options.signal } : {});
	} finally {
		await session.close();
	}
}

/**
 * `deploy scale web=3`: sets instance counts of the live release. The agent health-checks
 * new instances before they get traffic and drains the ones it stops.
 */
export async function scale(context: ApiContext, input: ScaleInput, options: StreamOptions = {}): Promise<ScaleResult> {
	const { processes, wait, ...target } = validateInput(scaleInput, input, HINT);
	return withAppSession(context, target, options, (session, app) =>
		session.rpc.call(
			"scale",
			{ app, processes, wait },
			{ ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) },
		),
	);
}
