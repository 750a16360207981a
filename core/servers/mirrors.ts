import * as z from "zod";
import { DeployError } from "../protocol/errors.js";
import { DEFAULT_NODE_MIRROR } from "../protocol/runtime.js";

/** An http(s) URL of a mirror, without its trailing slash. */
export const mirrorUrl = z
	.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
	.max(2000)
	.transform((url) => url.replace(/\/+$/, ""));

/**
 * Where Node.js comes from for this server: the flag, else DEPLOY_NODE_MIRROR, else
 * what the server was set up with, else nodejs.org. A bad value is refused before
 * anything connects.
 */
export function nodeMirrorOf(flag: string | undefined, stored: string | null = null): { mirror: string; given: string | null } {
	const fromEnv = process.env.DEPLOY_NODE_MIRROR?.trim() || undefined;
	const given = flag ?? fromEnv ?? stored ?? null;
	if (given === null) return { mirror: DEFAULT_NODE_MIRROR, given: null };
	const parsed = mirrorUrl.safeParse(given);
	if (!parsed.success) {
		throw new DeployError("BAD_ARGUMENT", `${flag ? "--node-mirror" : fromEnv ? "DEPLOY_NODE_MIRROR" : "the stored Node.js mirror"}: ${given} is not an http(s) URL.`, "Give the base URL of a mirror in the official dist layout, e.g. https://nodejs.org/dist.");
	}
	return { mirror: parsed.data, given: parsed.data };
}
