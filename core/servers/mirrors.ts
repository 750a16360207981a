import { DeployError } from "../protocol/errors.js";
import { mirrorUrl } from "../protocol/names.js";
import { DEFAULT_NODE_MIRROR } from "../protocol/runtime.js";

export { mirrorUrl };

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
		// The value itself is not repeated: it may hold a password.
		throw new DeployError("BAD_ARGUMENT", `${flag ? "--node-mirror" : fromEnv ? "DEPLOY_NODE_MIRROR" : "the stored Node.js mirror"} ${parsed.error.issues[0]?.message ?? "is not a mirror URL"}.`, "Give the base URL of a mirror in the official dist layout, e.g. https://nodejs.org/dist.");
	}
	return { mirror: parsed.data, given: parsed.data };
}
