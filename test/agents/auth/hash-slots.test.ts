// Issue 17, item 3: a burst of logins hashes two passwords at a time, lets a bounded
// number wait, and refuses the rest at once with a Retry-After.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { hashSlots } from "../../../agents/auth/hash-slots.js";
import { RateLimitedError } from "../../../agents/auth/rate-limit.js";

describe("hash slots", () => {
	test("two run at once, three wait, the next is refused; each waiter runs as a slot frees, never more than two", async () => {
		const slots = hashSlots(2, 3);
		let running = 0;
		let most = 0;
		const gates: (() => void)[] = [];
		const task = () =>
			new Promise<string>((resolve) => {
				running++;
				most = Math.max(most, running);
				gates.push(() => {
					running--;
					resolve("done");
				});
			});
		const admitted = Array.from({ length: 5 }, () => slots.run(task));
		await assert.rejects(slots.run(task), (error) => error instanceof RateLimitedError && error.code === "LOGIN_RATE_LIMITED" && error.retryAfterSeconds === 1);
		await Promise.resolve();
		assert.equal(gates.length, 2, "two started");
		// One arriving while a slot passes to a waiter does not jump the queue past the limit.
		for (let late = 0; gates.length; late++) {
			gates.shift()!();
			// Arrives in the microtask after the slot is freed, before the waiter given it resumes.
			if (late < 2) queueMicrotask(() => admitted.push(slots.run(task)));
			await new Promise((resolve) => setImmediate(resolve));
		}
		assert.deepEqual(await Promise.all(admitted), Array(admitted.length).fill("done"));
		assert.equal(most, 2);
	});
});
