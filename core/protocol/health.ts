import * as z from "zod";
import { proxyKind } from "./spec.js";

const bytes = z.number().int().min(0);
const count = z.number().int().min(0);

/**
 * What the `status` method reports about a server: the agent itself, the proxy,
 * and the machine it runs on. Everything is a plain number a person or a chart
 * can read; sizes are bytes.
 */
export const serverHealth = z.object({
	agent: z.object({
		/** sha256 of the agent bundle, as `hello` reports it. */
		version: z.string(),
		node: z.string(),
		pid: z.number().int(),
		uptimeSeconds: z.number().min(0),
		rssBytes: bytes,
	}),
	/** null when the server was never set up (no proxy configured). */
	proxy: z
		.object({
			kind: proxyKind,
			running: z.boolean(),
			/** Why it is not running, when the driver can tell. */
			message: z.string().optional(),
		})
		.nullable(),
	/** The file system holding the agent's home: where releases, caches and logs grow. */
	disk: z.object({ path: z.string(), totalBytes: bytes, freeBytes: bytes }),
	/** `availableBytes` is what new processes can get without swapping (MemAvailable). */
	memory: z.object({ totalBytes: bytes, availableBytes: bytes }),
	/** 1, 5 and 15 minute load averages, to read against `cpus`. */
	load: z.tuple([z.number(), z.number(), z.number()]),
	cpus: count,
	apps: count,
	/** `crashed` counts instances that gave up and those waiting to restart after a crash. */
	instances: z.object({ total: count, running: count, crashed: count }),
});
export type ServerHealth = z.infer<typeof serverHealth>;
