import type { z } from "zod";

// issue 7: the agent's RPC methods for auto-scaling, resource limits and doctor. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.
export const scalingMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;

/** The keys this area adds to ProcessSpec (core/protocol/spec.ts spreads them in). */
export const processScalingSpec = {};

/** The keys this area adds to AppSpec (core/protocol/spec.ts spreads them in). */
export const appScalingSpec = {};
