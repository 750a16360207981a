// Issue 17, item 3: the bodies of the auth routes, validated once at the boundary
// (auth-routes.ts) and described by the same schemas in the OpenAPI document.
import * as z from "zod";
import { memberEmail } from "../../core/protocol/team.js";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "../auth/passwords.js";

/** A new password: long enough to resist guessing at scrypt's speed, bounded so one request costs what another does. */
const newPassword = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const loginBody = z.strictObject({ email: memberEmail, password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });
export const inviteBody = z.strictObject({ token: z.string().min(1).max(200), password: newPassword });
