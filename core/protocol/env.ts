import type { z } from "zod";

// issue 7: the agent's RPC methods for encrypted environment variables. Spread into core/protocol/methods.ts;
// this file is the whole wire contract of the area.
export const envMethods = {} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
