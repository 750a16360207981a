/**
 * Runs route changes one after another: each reads the stored routes, changes one
 * app and writes them back, so two concurrent deploys must not interleave.
 */
export function serialized(): <T>(task: () => Promise<T>) => Promise<T> {
	let tail: Promise<unknown> = Promise.resolve();
	return <T>(task: () => Promise<T>): Promise<T> => {
		const run = tail.then(task, task);
		tail = run.catch(() => undefined);
		return run;
	};
}
