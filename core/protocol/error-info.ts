import * as z from "zod";
import type { ErrorInfo } from "./errors.js";

/** The schema of ErrorInfo (errors.ts), for envelopes that arrive over RPC, IPC and HTTP. */
export const errorInfo: z.ZodType<ErrorInfo> = z.object({
	code: z.string(),
	message: z.string(),
	hint: z.string().optional(),
	details: z.array(z.string()).optional(),
});
