/**
 * One deploy at a time per app, apps in parallel. In-daemon only: a single daemon
 * serves every client of this server, so that is enough for now.
 */
export class AppQueue {
	private readonly tails = new Map<string, Promise<unknown>>();

	run<T>(app: string, fn: () => Promise<T>): Promise<T> {
		const previous = this.tails.get(app) ?? Promise.resolve();
		const next = previous.catch(() => undefined).then(fn);
		const tail = next.catch(() => undefined);
		this.tails.set(app, tail);
		void tail.then(() => this.tails.get(app) === tail && this.tails.delete(app));
		return next;
	}
}
