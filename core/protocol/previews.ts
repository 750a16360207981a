import type { z } from "zod";

// issue 6: the agent's RPC methods for preview deployments per branch. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.
export const previewsMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
