import * as z from "zod";

/**
 * Issue 13: the agent's secrets key as `deploy doctor` reports it: where it is, whether
 * it is there, and the apps whose sealed env values (stored, or carried by their
 * instances) do not open with it: those cannot start an instance again.
 */
export const secretsKeyReport = z.object({ path: z.string(), present: z.boolean(), unreadable: z.array(z.string()) });
export type SecretsKeyReport = z.infer<typeof secretsKeyReport>;
