// Issue 18: deploys by `git push`: the api of `deploy git-remote`.
import type { ApiContext } from "./context.js";
import type { StreamOptions } from "./types.js";

export interface GitRemoteInput {
	dir?: string;
	server?: string;
	/** The local remote's name; `deploy` by default. */
	remote?: string;
}

export interface GitRemoteResult {
	app: string;
	server: string;
	remote: string;
	/** The SSH URL of the app's repository on the server. */
	url: string;
	/** False when the repository was there already (its settings are updated). */
	created: boolean;
	productionBranch: string;
}

export interface GitApiGroups {
	git: {
		remote(input: GitRemoteInput, options?: StreamOptions): Promise<GitRemoteResult>;
	};
}

export function createGitApiGroups(context: ApiContext): GitApiGroups {
	return {
		git: {
			remote: async (input, options) => (await import("../git/remote.js")).addGitRemote(context, input, options),
		},
	};
}
