// Issue 18: where a pushed commit's objects are while the pre-receive hook runs. git keeps
// them in a quarantine folder inside the repository (GIT_QUARANTINE_PATH) until the hook
// accepts the push, and tells the hook through GIT_OBJECT_DIRECTORY and
// GIT_ALTERNATE_OBJECT_DIRECTORIES; whoever reads the commit must read it with them.
// The daemon gets them from the hook over its socket: each must be inside the app's
// repository, so a call cannot make the agent read objects from anywhere else.
import { resolve, sep } from "node:path";
import { DeployError } from "../../core/protocol/errors.js";

export interface PushObjects {
	directory: string;
	alternates: string[];
}

/** The environment git runs with to see the pushed objects; {} when the hook named none (objects already in the repository). */
export function objectEnv(repository: string, objects: PushObjects | null): Record<string, string> {
	if (!objects) return {};
	const inside = (path: string) => {
		const full = resolve(repository, path);
		if (full !== repository && !full.startsWith(`${repository}${sep}`)) {
			throw new DeployError("BAD_REQUEST", `The push's object folder ${path} is not inside the app's repository.`, "Push again; the hook reports git's own folders.");
		}
		return full;
	};
	const directory = inside(objects.directory);
	const alternates = objects.alternates.map(inside);
	return { GIT_OBJECT_DIRECTORY: directory, ...(alternates.length ? { GIT_ALTERNATE_OBJECT_DIRECTORIES: alternates.join(":") } : {}) };
}
