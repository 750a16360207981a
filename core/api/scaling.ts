import type { ProcessScaling, ScalingDecision } from "../protocol/scaling.js";
import type { DoctorReport } from "../scaling/checks.js";
import type { ApiContext } from "./context.js";
import type { AppTargetInput, StreamOptions } from "./types.js";

export type { DoctorCheck, DoctorReport } from "../scaling/checks.js";
export type { ProcessScaling, ScalingDecision } from "../protocol/scaling.js";

/**
 * issue 7: the api groups for auto-scaling, resource limits and doctor, merged into Api (core/api/index.ts). Each
 * method loads its implementation on first use, like the rest of the api.
 */
export interface ScalingApiGroups {
	autoscale: {
		/** Each process's autoscale policy, limits (and how the server enforces them) and last decision. */
		status(input: AppTargetInput, options?: StreamOptions): Promise<ProcessScaling[]>;
		/** The app's recorded scaling decisions, oldest first. */
		log(input: AppTargetInput & { limit?: number }, options?: StreamOptions): Promise<ScalingDecision[]>;
	};
	doctor: {
		/** Checks a server: SSH and host key, agent, proxy, limit enforcement, disk, Node, clock. */
		run(input: { server?: string; dir?: string }, options?: StreamOptions): Promise<DoctorReport>;
	};
}

export function createScalingApiGroups(context: ApiContext): ScalingApiGroups {
	return {
		autoscale: {
			status: async (input, options) => (await import("../scaling/autoscale.js")).autoscaleStatus(context, input, options),
			log: async (input, options) => (await import("../scaling/autoscale.js")).autoscaleLog(context, input, options),
		},
		doctor: {
			run: async (input, options) => (await import("../scaling/doctor.js")).runDoctor(context, input, options),
		},
	};
}
