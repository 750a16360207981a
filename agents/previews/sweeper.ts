import { DeployError } from "../../core/protocol/index.js";
import type { HasLocks } from "../context/parts.js";
import { listApps } from "../deploy/records.js";
import { readPreviewFile } from "./marker.js";
import { type PreviewRemovalContext, removeApp } from "./removal.js";

/** How often the agent looks for expired previews: DEPLOY_AGENT_PREVIEW_SWEEP_MS, default a minute. Tests shrink it to see an expiry in seconds. */
export function sweepIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
	const value = Number(env.DEPLOY_AGENT_PREVIEW_SWEEP_MS);
	return Number.isFinite(value) && value >= 100 ? value : 60_000;
}

/**
 * The agent removes expired previews by itself: once at start (a preview that expired
 * while the agent was down goes at once) and then every interval. A preview being
 * deployed (its lock busy) is looked at again next time: the deploy extends its life.
 */
export function startPreviewSweeper(agent: PreviewRemovalContext & HasLocks, intervalMs = sweepIntervalMs()): () => void {
	let running: Promise<void> = Promise.resolve();
	const tick = () => {
		running = running.then(async () => void (await sweepExpiredPreviews(agent))).catch((error) => agent.log(`preview sweep failed: ${(error as Error).message}`));
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	void agent.proxyReady.then(tick, tick);
	return () => clearInterval(timer);
}

/** Removes every preview whose time is up; returns their names. */
export async function sweepExpiredPreviews(agent: PreviewRemovalContext & HasLocks, now = Date.now()): Promise<string[]> {
	if (!agent.driver) return [];
	const removed: string[] = [];
	for (const app of await listApps(agent.home)) {
		const note = await readPreviewFile(agent.home, app);
		if (!note || Date.parse(note.expiresAt) > now) continue;
		const gone = await agent.locks
			.run(app, { operation: "remove", deploymentId: null }, { wait: false, signal: new AbortController().signal, onWait: () => undefined }, async () => {
				// Read again under the lock: a deploy that just finished extended it.
				const current = await readPreviewFile(agent.home, app);
				if (!current || Date.parse(current.expiresAt) > Date.now()) return false;
				const stopped = await removeApp(agent, app);
				agent.log(`preview ${app} (${current.of}, branch ${current.branch}) expired at ${current.expiresAt}: removed, ${stopped} instance(s) stopped`);
				return true;
			})
			.catch((error) => {
				if (!(error instanceof DeployError && error.code === "DEPLOY_IN_PROGRESS")) agent.log(`cannot remove expired preview ${app}: ${(error as Error).message}`);
				return false;
			});
		if (gone) removed.push(app);
	}
	return removed;
}
