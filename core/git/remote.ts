// Issue 18: `deploy git-remote`. Sends the app's spec (from deploy.yaml, read here: the agent
// reads no deploy.yaml) to the server, which makes the app's bare repository and its
// pre-receive hook, then adds the remote (an SSH URL of that repository) to the local
// repository, so `git push deploy main` deploys.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { ApiContext } from "../api/context.js";
import type { GitRemoteInput, GitRemoteResult } from "../api/git.js";
import type { StreamOptions } from "../api/types.js";
import { loadProject } from "../deploy/project.js";
import { serverNamed, withStore } from "../deploy/target.js";
import { DeployError } from "../protocol/errors.js";
import { blobId } from "../source/blob.js";
import { openServerSession } from "../servers/connect.js";

export const DEFAULT_REMOTE = "deploy";

export async function addGitRemote(context: ApiContext, input: GitRemoteInput, options: StreamOptions = {}): Promise<GitRemoteResult> {
	const project = await loadProject(input.dir);
	const top = await repositoryTop(project.dir);
	if (resolve(top) !== resolve(project.sourceDir)) {
		throw new DeployError("GIT_REMOTE_NOT_TOP", `${project.dir} is not the top of its git repository (${top}): a push deploys the whole repository's tree.`, "Run `deploy git-remote` in an app whose folder is the repository's top (a workspace's root for a package of it).");
	}
	const { loadProjectConfig } = await import("../config/index.js");
	const loaded = await loadProjectConfig(project.dir);
	const previews = loaded.ok ? loaded.config.previews : undefined;
	const config = await readFile(join(project.dir, "deploy.yaml")).catch(() => null);
	const server = await withStore((store) => serverNamed(store, input.server ?? project.server));
	const session = await openServerSession(context.providers, server, options);
	let made: { path: string; created: boolean; git: string };
	try {
		made = await session.rpc.call(
			"git.remote",
			{
				app: project.spec,
				...(previews?.productionBranch ? { productionBranch: previews.productionBranch } : {}),
				...(previews?.ttl ? { previewTtl: previews.ttl } : {}),
				// git's blob id of deploy.yaml: the agent compares it with a pushed commit's.
				...(config ? { configId: blobId(config) } : {}),
			},
			options.signal ? { signal: options.signal } : {},
		);
	} finally {
		await session.close();
	}
	const host = server.host.includes(":") ? `[${server.host}]` : server.host;
	const url = `ssh://${server.user}@${host}:${server.port}${made.path}`;
	const remote = input.remote ?? DEFAULT_REMOTE;
	await setRemote(project.dir, remote, url, server.privilege === "sudo");
	return { app: project.spec.name, server: server.name, remote, url, created: made.created, productionBranch: previews?.productionBranch ?? "main" };
}

async function repositoryTop(dir: string): Promise<string> {
	const { execa } = await import("execa");
	const run = await execa("git", ["rev-parse", "--show-toplevel"], { cwd: dir, reject: false });
	if (run.exitCode !== 0) throw new DeployError("NOT_A_GIT_REPOSITORY", `${dir} is not in a git repository.`, "Run `git init` and commit the app first: a push deploys commits.");
	return run.stdout.trim();
}

/**
 * Adds the remote, or points an existing one of that name at the repository. On a server
 * reached through a sudo login (issue 12) the repository is root's, as the agent is: the
 * push's receiving end runs through the login's passwordless sudo, as every other command
 * of the CLI reaches the agent there, so the hook runs as the agent's user and the login
 * never needs to write the agent's home.
 */
async function setRemote(dir: string, name: string, url: string, viaSudo: boolean): Promise<void> {
	const { execa } = await import("execa");
	const exists = (await execa("git", ["remote", "get-url", name], { cwd: dir, reject: false })).exitCode === 0;
	await execa("git", ["remote", exists ? "set-url" : "add", name, url], { cwd: dir });
	if (viaSudo) await execa("git", ["config", `remote.${name}.receivepack`, SUDO_RECEIVE_PACK], { cwd: dir });
	else await execa("git", ["config", "--unset", `remote.${name}.receivepack`], { cwd: dir, reject: false });
}

/** What git runs on the server for a push through a sudo login: `sudo -n` never prompts (a password-protected sudo fails at once). */
export const SUDO_RECEIVE_PACK = "sudo -n git-receive-pack";
