// Steady HTTP traffic through the proxy while a test deploys: autocannon's
// programmatic API (it ships no types; the part used here is typed below).
import { createRequire } from "node:module";

interface AutocannonResult {
	requests: { total: number };
	errors: number;
	timeouts: number;
	non2xx: number;
	resets: number;
	mismatches: number;
}

interface AutocannonInstance {
	stop(): void;
	on(event: "reqError", listener: (error: Error & { code?: string }) => void): void;
}

type Autocannon = (
	options: {
		url: string;
		connections: number;
		connectionRate: number;
		duration: number;
		timeout: number;
		headers: Record<string, string>;
		verifyBody: (body: string) => boolean;
	},
	done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

export interface TrafficReport {
	total: number;
	errors: number;
	timeouts: number;
	non2xx: number;
	resets: number;
	/** Request errors by code (ECONNRESET, ECONNREFUSED...): what `errors` counts. */
	errorCodes: Record<string, number>;
	/** Answers by body (the app's version), in the order first seen. */
	bodies: Map<string, number>;
}

export interface Traffic {
	/** Resolves once `count` more answers arrived than when it was called. */
	moreAnswers(count: number): Promise<void>;
	stop(): Promise<TrafficReport>;
}

/**
 * `connections` keep-alive connections to 127.0.0.1:`port` with the app's Host
 * header, each at `perConnectionRate` requests a second (so two cores still have
 * room to build and deploy), until stop() or `maxSeconds`, whichever comes first.
 */
export function startTraffic(port: number, host: string, options: { connections?: number; perConnectionRate?: number; maxSeconds?: number } = {}): Traffic {
	const bodies = new Map<string, number>();
	let answers = 0;
	const waiters: { at: number; resolve: () => void }[] = [];
	const verifyBody = (body: string) => {
		const key = body.trim();
		bodies.set(key, (bodies.get(key) ?? 0) + 1);
		answers++;
		for (const waiter of waiters.filter((w) => answers >= w.at)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.resolve();
		}
		return true;
	};
	let finished: (result: AutocannonResult) => void = () => undefined;
	let failed: (error: Error) => void = () => undefined;
	const result = new Promise<AutocannonResult>((resolve, reject) => {
		finished = resolve;
		failed = reject;
	});
	const instance = autocannon(
		{
			url: `http://127.0.0.1:${port}/`,
			connections: options.connections ?? 50,
			connectionRate: options.perConnectionRate ?? 20,
			duration: options.maxSeconds ?? 60,
			timeout: 10,
			headers: { host },
			verifyBody,
		},
		(error, value) => {
			// Nobody waits forever for answers that cannot come any more.
			for (const waiter of waiters.splice(0)) waiter.resolve();
			if (error) failed(error);
			else finished(value);
		},
	);
	const errorCodes: Record<string, number> = {};
	instance.on("reqError", (error) => {
		const code = error.code ?? error.message;
		errorCodes[code] = (errorCodes[code] ?? 0) + 1;
	});
	return {
		moreAnswers: (count) => new Promise((resolve) => waiters.push({ at: answers + count, resolve })),
		async stop() {
			instance.stop();
			const value = await result;
			return { total: value.requests.total, errors: value.errors, timeouts: value.timeouts, non2xx: value.non2xx, resets: value.resets, errorCodes, bodies };
		},
	};
}
