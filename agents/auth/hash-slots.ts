// Issue 17, item 3: how many password hashes run at once. scrypt runs on libuv's thread
// pool (4 threads), which the agent's file reads and writes share, and each hash holds
// 32 MiB while it runs: a burst of logins must neither starve the daemon's files nor
// its memory on a small server. So two run at a time, a bounded number wait, and the
// rest are refused at once (429, try again in a second) instead of piling up.
import { RateLimitedError } from "./rate-limit.js";

export interface HashSlots {
	run<T>(task: () => Promise<T>): Promise<T>;
}

export function hashSlots(running = 2, waiting = 32): HashSlots {
	let active = 0;
	const queue: (() => void)[] = [];
	// A freed slot passes straight to the first waiter: nobody arriving meanwhile can take it.
	const release = () => {
		const next = queue.shift();
		if (next) next();
		else active--;
	};
	return {
		async run(task) {
			if (active >= running) {
				if (queue.length >= waiting) throw new RateLimitedError("The server is busy checking other logins.", 1);
				await new Promise<void>((resolve) => queue.push(resolve));
			} else active++;
			try {
				return await task();
			} finally {
				release();
			}
		},
	};
}
