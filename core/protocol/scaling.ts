import * as z from "zod";
import { secretsKeyReport } from "./secrets-key.js";
import { isolationReport } from "./isolation.js";
import { appName } from "./names.js";

// issue 7: the agent's RPC methods for auto-scaling, resource limits and doctor. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.

/** One process's auto-scaling policy, as deploy.yaml's `processes.<name>.autoscale` resolves (core/protocol/config/scaling.ts). */
export const autoscaleSpec = z.object({
	min: z.number().int().min(1).max(100).default(1),
	max: z.number().int().min(1).max(100).default(100),
	/** Percent of a core (or of the CPU limit) per instance, averaged over the window: above it, scale up. */
	cpuUp: z.number().min(1).max(1000).default(70),
	/** Percent of the instance's memory limit (or of the machine's memory per core): above it, scale up. */
	memoryUp: z.number().min(1).max(100).default(80),
	cpuDown: z.number().min(0).max(1000).default(35),
	memoryDown: z.number().min(0).max(100).default(40),
	upCooldownSeconds: z.number().int().min(0).max(86_400).default(60),
	downCooldownSeconds: z.number().int().min(0).max(86_400).default(300),
	/** Seconds of samples averaged for one decision: a single spike does not scale. */
	windowSeconds: z.number().int().min(2).max(3600).default(60),
});
export type AutoscaleSpec = z.infer<typeof autoscaleSpec>;

/** Resource limits of each instance of a process. */
export const limitsSpec = z.object({
	memoryBytes: z.number().int().min(16 * 1024 * 1024).optional(),
	/** Cores: 0.5 is half of one core. */
	cpu: z.number().min(0.01).max(256).optional(),
});
export type LimitsSpec = z.infer<typeof limitsSpec>;

/** How this server enforces limits, decided by a probe at agent start (agents/limits/probe.ts). */
export const limitEnforcement = z.object({
	mode: z.enum(["cgroup-v2", "systemd", "watch"]),
	/** Why this mode: what the probe found, for `deploy doctor`. */
	reason: z.string(),
});
export type LimitEnforcement = z.infer<typeof limitEnforcement>;

/**
 * One thing the autoscaler or the limit watcher did or declined to do, with why.
 * `scale`: the instance count changed; `capped`: it would scale but max, cores or
 * memory forbid it; `cooldown`: it would scale but a cooldown runs; `failed`: the
 * scale from `from` to `to` was tried and failed (the count stayed `from`); `limit`: an instance over its memory limit was restarted.
 */
export const scalingDecision = z.object({
	at: z.string(),
	app: z.string(),
	process: z.string(),
	kind: z.enum(["scale", "capped", "cooldown", "failed", "limit"]),
	action: z.enum(["up", "down", "hold", "restart"]),
	from: z.number().int(),
	to: z.number().int(),
	reason: z.string(),
	/** The window's averages the decision was made on (absent for limit restarts). */
	cpuPercent: z.number().optional(),
	memoryPercent: z.number().optional(),
});
export type ScalingDecision = z.infer<typeof scalingDecision>;

/** What `deploy ps` says about a process besides its instances: its policy, limits and last decision. */
export const processScaling = z.object({
	app: z.string(),
	process: z.string(),
	instances: z.number().int(),
	autoscale: autoscaleSpec.nullable(),
	limits: limitsSpec.nullable(),
	/** How the limits are enforced on this server (null when the process has none). */
	enforcement: limitEnforcement.nullable(),
	last: scalingDecision.nullable(),
});
export type ProcessScaling = z.infer<typeof processScaling>;

export const scalingMethods = {
	"autoscale.status": {
		/** Every process of the live release(s): policy, limits, enforcement, last decision. */
		params: z.object({ app: appName.optional() }),
		result: z.array(processScaling),
	},
	"autoscale.log": {
		/** The app's recorded decisions, oldest first (the newest `limit`). */
		params: z.object({ app: appName, limit: z.number().int().min(1).max(1000).default(50) }),
		result: z.array(scalingDecision),
	},
	doctor: {
		/** What `deploy doctor` needs besides `status`: the server's clock, Node and limit enforcement; the client adds skew and SSH state. */
		params: z.object({}),
		result: z.object({
			/** The server's clock, epoch milliseconds, read when answering. */
			timeMs: z.number(),
			node: z.string(),
			enforcement: limitEnforcement,
			/** Issue 12: what brings the server back after a reboot (absent from older agents). */
			boot: z
				.object({
					systemd: z.enum(["running", "offline", "absent"]),
					/** Our units enabled to start at boot. */
					units: z.array(z.string()),
					/** The agent's home when it is not the system install's (a second agent on the machine): no units are its. */
					otherHome: z.string().nullable(),
				})
				.optional(),
			/** Issue 13: what keeps apps apart here (absent from older agents). */
			isolation: isolationReport.optional(),
			/** Issue 13: the secrets key, and the apps whose env values it does not open (absent from older agents). */
			secrets: secretsKeyReport.optional(),
			/** The uploaded files' store: its size, and what a collection (`deploy cache clear`) would remove now (absent from older agents). */
			objects: z
				.object({
					store: z.object({ objects: z.number().int(), bytes: z.number() }),
					unused: z.object({ objects: z.number().int(), bytes: z.number() }),
				})
				.optional(),
		}),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

/** The keys this area adds to ProcessSpec (core/protocol/spec.ts spreads them in). */
export const processScalingSpec = {
	autoscale: autoscaleSpec.optional(),
	limits: limitsSpec.optional(),
};

/** The key this area adds to each `ps` row (core/protocol/spec.ts spreads it into instanceInfo): its process's scaling. */
export const instanceScalingInfo = {
	scaling: processScaling.optional(),
};

/** The keys this area adds to AppSpec (core/protocol/spec.ts spreads them in). */
export const appScalingSpec = {};
