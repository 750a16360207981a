import { mkdir, readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { DeployError } from "../../core/protocol/index.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { writeFailure } from "../fs/write-error.js";
import { type AgentHome, appPaths } from "../home.js";
import { isAlive, processStartTime } from "../processes/proc.js";
import { describeOwner, type LockOwner, lockIsStale, lockOwner } from "./lock-owner.js";

export interface AcquireOptions {
	wait: boolean;
	signal: AbortSignal;
	/** Called once when the lock is busy and we wait: the `lock` step event. */
	onWait: (holder: string) => void;
}

const POLL_MS = 250;

/**
 * One deploy, rollback or scale at a time per app, apps in parallel. The lock is the
 * atomic mkdir of apps/<app>/deploy.lock (kamal's way), holding owner.json with this
 * daemon's pid and start time: it survives a daemon restart, and a lock whose daemon
 * is gone is stale and taken over. Waiters inside this daemon queue on a promise;
 * a lock held by another live process (an agent being replaced) is polled.
 */
export class DeployLocks {
	private readonly held = new Map<string, { owner: LockOwner; released: Promise<void> }>();
	private readonly self = { pid: process.pid, startTime: processStartTime(process.pid) };

	constructor(private readonly home: AgentHome) {}

	async run<T>(app: string, what: Pick<LockOwner, "operation" | "deploymentId">, options: AcquireOptions, fn: () => Promise<T>): Promise<T> {
		const release = await this.acquire(app, what, options);
		try {
			return await fn();
		} finally {
			await release();
		}
	}

	async acquire(app: string, what: Pick<LockOwner, "operation" | "deploymentId">, options: AcquireOptions): Promise<() => Promise<void>> {
		const dir = join(appPaths(this.home, app).dir, "deploy.lock");
		let told = false;
		const waitOrFail = (owner: LockOwner | null) => {
			const holder = describeOwner(owner);
			if (!options.wait) {
				throw new DeployError("DEPLOY_IN_PROGRESS", `${capitalize(holder)} of ${app} is running.`, "Wait for it to finish, or run again without --no-wait to queue behind it.");
			}
			if (!told) options.onWait(holder);
			told = true;
		};
		for (;;) {
			options.signal.throwIfAborted();
			const mine = this.held.get(app);
			if (mine) {
				waitOrFail(mine.owner);
				await Promise.race([mine.released, aborted(options.signal)]);
				continue;
			}
			const owner: LockOwner = { ...this.self, ...what, since: new Date().toISOString() };
			if (await this.take(app, dir)) {
				let release: () => void = () => undefined;
				this.held.set(app, { owner, released: new Promise<void>((resolve) => (release = resolve)) });
				const unlock = async () => {
					try {
						await rm(dir, { recursive: true, force: true });
					} finally {
						this.held.delete(app);
						release();
					}
				};
				try {
					await writeJsonAtomic(join(dir, "owner.json"), owner);
				} catch (error) {
					// Nothing ran under it: give the lock back, or every later deploy, scale and env
					// change of the app would wait on it until the daemon restarts (issue 13).
					await unlock().catch(() => undefined);
					throw writeFailure(`the deploy lock of ${app}`, join(dir, "owner.json"), error);
				}
				return unlock;
			}
			if (this.held.has(app)) continue;
			const current = await readOwner(dir);
			const age = await stat(dir).then((s) => Date.now() - s.mtimeMs, () => 0);
			if (lockIsStale(current, age, isAlive)) {
				await rm(dir, { recursive: true, force: true });
				continue;
			}
			waitOrFail(current);
			await sleep(POLL_MS, undefined, { signal: options.signal }).catch(() => undefined);
		}
	}

	/** The atomic mkdir: true when this call made the lock, false when it exists; a full disk is said so. */
	private async take(app: string, dir: string): Promise<boolean> {
		try {
			await mkdir(appPaths(this.home, app).dir, { recursive: true });
			await mkdir(dir);
			return true;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
			throw writeFailure(`the deploy lock of ${app}`, dir, error);
		}
	}
}

async function readOwner(dir: string): Promise<LockOwner | null> {
	try {
		return lockOwner.parse(JSON.parse(await readFile(join(dir, "owner.json"), "utf8")));
	} catch {
		return null;
	}
}

function aborted(signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
