import * as z from "zod";
import type { AppSpec, ProcessSpec } from "../spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 7: deploy.yaml's auto-scaling and resource limits. `processScalingConfig` is
// spread into each process's schema, `appScalingConfig` into the app's
// (core/protocol/config/schema.ts); the *Spec functions into toAppSpec.

const UNITS: Record<string, number> = { "": 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };
const SIZE = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i;

/** "512M", "1.5G", "256MiB", "1073741824" as bytes (binary units, as systemd and Docker read them); null when not a size. */
export function parseMemorySize(text: string): number | null {
	const match = SIZE.exec(text.trim());
	if (!match) return null;
	return Math.floor(Number(match[1]) * UNITS[match[2]!.toUpperCase()]!);
}

const memorySize = z
	.string()
	.regex(SIZE, "must be a size like 512M or 1G")
	.refine((text) => (parseMemorySize(text) ?? 0) >= 16 * 1024 ** 2, "must be at least 16M");

const percent = (max: number) => z.number().min(0).max(max);

const autoscaleConfig = z
	.strictObject({
		min: z.number().int().min(1).max(100).default(1).meta({ description: "Fewest instances the autoscaler leaves running.", examples: [2] }),
		max: z
			.number()
			.int()
			.min(1)
			.max(100)
			.default(100)
			.meta({
				description: "Most instances the autoscaler starts. It is also bounded by the server: no more instances than cores (divided by `limits.cpu`), and no more than the free memory holds.",
				examples: [8],
			}),
		cpuUp: percent(1000)
			.default(70)
			.meta({ description: "Scale up when the instances' average CPU over the window is above this percent of one core (or of `limits.cpu`).", examples: [80] }),
		memoryUp: percent(100)
			.default(80)
			.meta({
				description: "Scale up when the instances' average memory over the window is above this percent of `limits.memory` (without a limit: of the server's memory divided by its cores).",
				examples: [85],
			}),
		cpuDown: percent(1000).default(35).meta({ description: "Scale down only when average CPU is below this percent and memory below `memoryDown`.", examples: [20] }),
		memoryDown: percent(100).default(40).meta({ description: "Scale down only when average memory is below this percent and CPU below `cpuDown`.", examples: [30] }),
		upCooldownSeconds: z
			.number()
			.int()
			.min(0)
			.max(86_400)
			.default(60)
			.meta({ description: "Seconds after a scale up before the next scale up: the new instances get time to take load.", examples: [120] }),
		downCooldownSeconds: z
			.number()
			.int()
			.min(0)
			.max(86_400)
			.default(300)
			.meta({ description: "Seconds after any scale (up or down) before a scale down: load that comes back does not make the count flap.", examples: [600] }),
		windowSeconds: z
			.number()
			.int()
			.min(2)
			.max(3600)
			.default(60)
			.meta({ description: "Seconds of samples (taken every few seconds) averaged for a decision: a single spike does not scale.", examples: [120] }),
	})
	.refine((policy) => policy.min <= policy.max, { message: "min must not be above max", path: ["min"] })
	.refine((policy) => policy.cpuDown < policy.cpuUp && policy.memoryDown < policy.memoryUp, {
		message: "the down thresholds must be below the up thresholds",
		path: ["cpuDown"],
	});

const limitsConfig = z
	.strictObject({
		memory: memorySize.optional().meta({
			description:
				"Memory each instance may use (512M, 1G). Enforced by the kernel where the server allows it (cgroups v2 or a systemd scope: the instance is killed when over, then restarted); elsewhere the agent watches it and restarts an instance that is over. `deploy doctor` says which.",
			examples: ["512M"],
		}),
		cpu: z
			.number()
			.min(0.01)
			.max(256)
			.optional()
			.meta({ description: "Cores each instance may use: 0.5 is half of one core. Enforced only with cgroups v2 or systemd (it is not watched elsewhere).", examples: [0.5] }),
	})
	.meta({ description: "Resource limits of each instance of the process.", examples: [{ memory: "512M", cpu: 0.5 }] });

export const processScalingConfig = {
	autoscale: autoscaleConfig.optional().meta({
		description:
			"Auto-scaling of the process (off when absent): the agent samples each instance's CPU and memory every few seconds and changes the count between min and max. Every decision and its reason shows in `deploy ps` and `deploy autoscale log`. A deploy starts `instances`; the autoscaler takes it from there.",
		examples: [{ min: 1, max: 4, cpuUp: 70, memoryUp: 80, cpuDown: 35, memoryDown: 40, upCooldownSeconds: 60, downCooldownSeconds: 300 }],
	}),
	limits: limitsConfig.optional(),
};
export const appScalingConfig = {};

export function processScalingSpec(process: ProjectConfig["processes"][string]): Partial<ProcessSpec> {
	const { autoscale, limits } = process;
	const memoryBytes = limits?.memory !== undefined ? parseMemorySize(limits.memory) : null;
	return {
		...(autoscale ? { autoscale: { ...autoscale } } : {}),
		...(limits && (memoryBytes !== null || limits.cpu !== undefined)
			? { limits: { ...(memoryBytes !== null ? { memoryBytes } : {}), ...(limits.cpu !== undefined ? { cpu: limits.cpu } : {}) } }
			: {}),
	};
}

export function appScalingSpec(_config: ProjectConfig): Partial<AppSpec> {
	return {};
}
