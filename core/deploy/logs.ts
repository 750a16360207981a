import type { ApiContext } from "../api/context.js";
import type { LogsInput, StreamOptions } from "../api/types.js";
import { DeployError } from "../protocol/index.js";
import { resolveSince } from "./log-since.js";
import { resolveTarget } from "./target.js";

/** `deploy logs [-f]`: the app's output from the server, following until cancelled. */
export async function readLogs(context: ApiContext, input: LogsInput, options: StreamOptions = {}): Promise<{ lines: number }> {
	const { openStore } = await import("../store/index.js");
	const store = await openStore();
	let target: Awaited<ReturnType<typeof resolveTarget>>;
	try {
		target = await resolveTarget(context, store, input, options, "read");
	} finally {
		await store.close();
	}
	const app = target.app;
	if (!app) throw new DeployError("APP_UNKNOWN", "Which app? There is no deploy.yaml or package.json here.", "Run it in the app's folder, or pass --app NAME.");
	const since = input.since === undefined ? undefined : resolveSince(input.since);
	const session = await target.open();
	try {
		return await session.rpc.call(
			"logs",
			{
				app,
				follow: input.follow ?? false,
				...(input.lines !== undefined ? { lines: input.lines } : {}),
				...(since ? { since } : {}),
				...(input.grep ? { grep: input.grep } : {}),
				...(input.instance !== undefined ? { instance: input.instance } : {}),
			},
			{ ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) },
		);
	} finally {
		await session.close();
	}
}
