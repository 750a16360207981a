// Issue 18: git on the server, installed by `servers add` (and `servers upgrade`) so that
// `deploy git-remote` and `deploy hooks add` work right after it: a bare Debian or Ubuntu
// image has none. A git already there (the image's, or one the owner built) is left as it
// is; one installed here is recorded, so `servers rm --purge` removes it (when nothing the
// owner installed since depends on it, agents/system/apt.ts).
import { execa } from "execa";
import { DeployError } from "../../core/protocol/errors.js";
import { aptInstall } from "./apt.js";

export interface GitInstall {
	/** "git" when this install added the package; null when git was there. */
	addedPackage: string | null;
	message: string;
}

/**
 * git serves `git push` deploys and webhooks only: a server whose package sources are out
 * of reach (an offline or firewalled one) is set up without it, and the step says so and
 * how to add it, rather than failing the whole `servers add`.
 */
export async function ensureGit(log: (line: string) => void): Promise<GitInstall> {
	const present = await execa("git", ["--version"], { reject: false });
	if (present.exitCode === 0) return { addedPackage: null, message: `${String(present.stdout).trim()} is there` };
	try {
		await aptInstall(["git"], log);
	} catch (error) {
		if (!(error instanceof DeployError && error.code === "PACKAGE_INSTALL_FAILED")) throw error;
		const message = `not installed (${error.message.replace(/\.$/, "")}): \`git push\` deploys and webhooks need it; install it on the server (\`apt-get install git\`), or run \`deploy servers upgrade\` once its package sources are in reach`;
		log(`warning: git ${message}`);
		return { addedPackage: null, message };
	}
	const installed = await execa("git", ["--version"], { reject: false });
	return { addedPackage: "git", message: `installed ${String(installed.stdout).trim() || "git"} (apt), for \`git push\` deploys and webhooks` };
}
