import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { type AlertRecord, alertRecord } from "../../core/protocol/metrics.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import type { Condition } from "./rules.js";

/** Transitions kept for `deploy alerts`: the newest ones, so the file stays small (about 100 kB at most). */
export const HISTORY_LIMIT = 500;

export type Deliver = (url: string, payload: object) => Promise<AlertRecord["delivery"]>;

interface Stored {
	firing: AlertRecord[];
	history: AlertRecord[];
}

/**
 * Turns each evaluation's conditions into transitions: a condition that starts fires
 * once, one that ends resolves once, one that holds says nothing (no flood). The
 * firing set and the history live in one small file (`<home>/alerts.json`), so an
 * agent restart neither repeats nor forgets an alert. Webhook deliveries run in the
 * background; their outcome is written into the history entry.
 */
export class AlertTracker {
	#state: Stored = { firing: [], history: [] };
	#loaded = false;
	readonly #deliveries = new Set<Promise<void>>();

	constructor(
		readonly file: string,
		readonly deliver: Deliver,
		readonly now: () => number = Date.now,
	) {}

	async update(app: string, conditions: readonly Condition[], webhook: string | undefined): Promise<AlertRecord[]> {
		await this.#load();
		const at = new Date(this.now()).toISOString();
		const firing = this.#state.firing.filter((record) => record.app === app);
		const active = new Map(conditions.map((condition) => [condition.kind, condition]));
		const transitions: AlertRecord[] = [];
		for (const record of firing) {
			if (active.has(record.kind)) continue;
			transitions.push({ ...record, at, state: "resolved", message: `Back under the threshold. It fired with: ${record.message}`, delivery: { status: "none", attempts: 0 } });
		}
		for (const condition of conditions) {
			if (firing.some((record) => record.kind === condition.kind)) continue;
			transitions.push({ at, app, kind: condition.kind, state: "firing", message: condition.message, value: condition.value, threshold: condition.threshold, delivery: { status: "none", attempts: 0 } });
		}
		if (transitions.length === 0) return [];
		const gone = new Set(transitions.filter((t) => t.state === "resolved").map((t) => t.kind));
		this.#state.firing = [
			...this.#state.firing.filter((record) => record.app !== app || !gone.has(record.kind)),
			...transitions.filter((t) => t.state === "firing"),
		];
		for (const transition of transitions) {
			if (webhook) transition.delivery = { status: "pending", attempts: 0 };
			this.#state.history.unshift(transition);
		}
		this.#state.history.length = Math.min(this.#state.history.length, HISTORY_LIMIT);
		await this.#save();
		if (webhook) for (const transition of transitions) this.#track(this.#send(webhook, transition));
		return transitions;
	}

	async firing(app?: string): Promise<AlertRecord[]> {
		await this.#load();
		return this.#state.firing.filter((record) => !app || record.app === app);
	}

	async history(app: string | undefined, limit: number): Promise<AlertRecord[]> {
		await this.#load();
		return this.#state.history.filter((record) => !app || record.app === app).slice(0, limit);
	}

	/** Settles when every delivery started so far is over (tests, shutdown). */
	async idle(): Promise<void> {
		while (this.#deliveries.size) await Promise.all([...this.#deliveries]);
	}

	async #send(webhook: string, transition: AlertRecord): Promise<void> {
		const { delivery: _, ...alert } = transition;
		transition.delivery = await this.deliver(webhook, { type: "deploy.alert", server: hostname(), ...alert });
		// The entry may have been trimmed from the history meanwhile; saving is harmless then.
		await this.#save();
	}

	#track(promise: Promise<void>): void {
		const tracked = promise.catch(() => undefined).finally(() => this.#deliveries.delete(tracked));
		this.#deliveries.add(tracked);
	}

	async #load(): Promise<void> {
		if (this.#loaded) return;
		this.#loaded = true;
		try {
			const value = JSON.parse(await readFile(this.file, "utf8")) as Stored;
			const valid = (list: unknown) => (Array.isArray(list) ? list.flatMap((entry) => (alertRecord.safeParse(entry).success ? [entry as AlertRecord] : [])) : []);
			this.#state = { firing: valid(value.firing), history: valid(value.history).slice(0, HISTORY_LIMIT) };
		} catch {
			// none yet, or damaged: start empty rather than stop alerting
		}
	}

	async #save(): Promise<void> {
		await writeJsonAtomic(this.file, this.#state);
	}
}
