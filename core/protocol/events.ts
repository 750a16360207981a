import * as z from "zod";
import { scalingDecision } from "./scaling.js";

/** The steps of a deployment, in order. Client-side steps first, then the agent's. */
export const stepName = z.enum([
	"connect",
	"agent",
	"upload",
	"prepare",
	"install",
	"build",
	"start",
	"healthcheck",
	"route",
	"cleanup",
	"proxy",
	/** Waiting for another deploy of the same app to finish (the per-app lock). */
	"lock",
	/** Old instances finishing their requests after the switch (runs on after "live"). */
	"drain",
	"scale",
	// Issue 12: setting up a bare server (servers add / upgrade / rm --purge).
	"sudo",
	"os",
	"runtime",
	"units",
	"firewall",
	"purge",
	/** Issue 14: a failed `servers add` taking back what it started on a server it was setting up. */
	"undo",
	/** Issue 14: waiting for the proxy to obtain a domain's certificate (`domains add`). */
	"certificate",
]);
export type StepName = z.infer<typeof stepName>;

/** Every long operation is a stream of these; the CLI draws them, `--json` prints them. */
export const deployEvent = z.discriminatedUnion("type", [
	z.object({
		type: z.literal("step"),
		step: stepName,
		status: z.enum(["started", "done", "skipped", "failed"]),
		message: z.string().optional(),
		durationMs: z.number().optional(),
	}),
	z.object({
		type: z.literal("log"),
		step: stepName.optional(),
		stream: z.enum(["stdout", "stderr"]).default("stdout"),
		line: z.string(),
		/** App log lines: when the agent wrote the line down, and which instance printed it (`web:41234`). */
		time: z.string().optional(),
		instance: z.string().optional(),
	}),
	z.object({
		type: z.literal("progress"),
		step: stepName,
		done: z.number(),
		total: z.number(),
		unit: z.enum(["objects", "bytes"]),
	}),
	/** Supervision: an instance started, crashed, is backing off, gave up, was adopted or stopped. */
	z.object({
		type: z.literal("instance"),
		app: z.string(),
		process: z.string(),
		port: z.number().int(),
		pid: z.number().int().nullable(),
		status: z.enum(["starting", "running", "backoff", "crashed", "draining", "stopped"]),
		restarts: z.number().int(),
		message: z.string().optional(),
	}),
	/** Issue 7: the autoscaler scaled a process (or would have: capped, cooldown), or an instance over its memory limit was restarted. */
	z.object({ type: z.literal("scaling"), decision: scalingDecision }),
]);
export type DeployEvent = z.infer<typeof deployEvent>;
