/**
 * At most `limit` calls in flight: `add` waits for room, so the caller produces the
 * next batch or chunk while the earlier ones travel, and never more than `limit` of
 * them are held at once. The first failure is thrown by the next `add` or by `drain`.
 */
export class InFlight {
	private readonly running = new Set<Promise<unknown>>();
	private failure: { error: unknown } | null = null;

	constructor(private readonly limit: number) {}

	async add(call: Promise<unknown>): Promise<void> {
		const tracked = call.then(
			() => undefined,
			(error: unknown) => {
				this.failure ??= { error };
			},
		);
		this.running.add(tracked);
		void tracked.then(() => this.running.delete(tracked));
		while (this.running.size >= this.limit && !this.failure) await Promise.race(this.running);
		if (this.failure) throw this.failure.error;
	}

	/** Waits for every call; throws the first failure. */
	async drain(): Promise<void> {
		await Promise.all(this.running);
		if (this.failure) throw this.failure.error;
	}
}
