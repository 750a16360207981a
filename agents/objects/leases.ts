/**
 * Objects someone still needs although no kept release names them yet: an upload
 * (objects.missing said "present", or objects.put stored them) until its connection
 * closes, a deploy until its release manifest is written. A collection never removes
 * a held object.
 *
 * A release given back while a collection runs is kept until that collection ends:
 * the collection may have read the kept manifests before the deploy wrote its own, so
 * the lease is the only thing that protects those objects from it.
 */
export class ObjectLeases {
	private readonly holders = new Map<string, number>();
	private collections = 0;
	private deferred: (() => void)[] = [];

	open(): Lease {
		const ids = new Set<string>();
		let released = false;
		return {
			add: (more) => {
				if (released) return;
				for (const id of more) {
					if (ids.has(id)) continue;
					ids.add(id);
					this.holders.set(id, (this.holders.get(id) ?? 0) + 1);
				}
			},
			release: () => {
				if (released) return;
				released = true;
				const give = () => {
					for (const id of ids) {
						const left = (this.holders.get(id) ?? 1) - 1;
						if (left > 0) this.holders.set(id, left);
						else this.holders.delete(id);
					}
				};
				if (this.collections > 0) this.deferred.push(give);
				else give();
			},
		};
	}

	held(id: string): boolean {
		return this.holders.has(id);
	}

	/** Runs one collection; releases that arrive meanwhile take effect when the last running collection ends. */
	async collecting<T>(fn: () => Promise<T>): Promise<T> {
		this.collections += 1;
		try {
			return await fn();
		} finally {
			this.collections -= 1;
			if (this.collections === 0) {
				const pending = this.deferred;
				this.deferred = [];
				for (const give of pending) give();
			}
		}
	}
}

/** One holder's objects. `add` must be called before the holder relies on an object being present. */
export interface Lease {
	add(ids: Iterable<string>): void;
	release(): void;
}
