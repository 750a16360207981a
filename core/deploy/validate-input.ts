import type * as z from "zod";
import { DeployError } from "../protocol/index.js";

/**
 * The api's boundary check for commands that change a server: a bad input is a
 * BAD_ARGUMENT naming its field (the CLI exits 2), and nothing is sent anywhere.
 */
export function validateInput<T extends z.ZodType>(schema: T, input: unknown, hint: string): z.output<T> {
	const parsed = schema.safeParse(input);
	if (parsed.success) return parsed.data;
	const issue = parsed.error.issues[0];
	throw new DeployError("BAD_ARGUMENT", `${issue?.path.join(".") || "input"}: ${issue?.message}`, hint);
}
