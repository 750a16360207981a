// Issue 18: the app's bare repository, `<home>/git/<app>.git`, that `git push deploy <branch>`
// pushes to, and what the agent keeps beside it (`<home>/git/<app>.json`): the spec
// `deploy git-remote` sent (the agent reads no deploy.yaml: agents/ may import only
// core/protocol, and deploy.yaml's schema lives in core/config), the production branch
// and the previews' time to live.
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { appSpec } from "../../core/protocol/spec.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import type { AgentHome } from "../home.js";
import { shellQuote } from "../../core/protocol/shell-quote.js";

/** What a push deploys with. */
export const remoteSettings = z.object({
	spec: appSpec,
	productionBranch: z.string(),
	previewTtlSeconds: z.number().int().positive(),
	configId: z.string().nullable(),
});
export type RemoteSettings = z.infer<typeof remoteSettings>;

export function gitPaths(home: AgentHome, app: string) {
	const root = join(home.root, "git");
	return { root, repository: join(root, `${app}.git`), settings: join(root, `${app}.json`) };
}

/** The settings of an app's repository; GIT_REMOTE_UNKNOWN when `deploy git-remote` never made it. */
export async function readRemoteSettings(home: AgentHome, app: string): Promise<RemoteSettings> {
	const text = await readFile(gitPaths(home, app).settings, "utf8").catch(() => null);
	if (text === null) throw new DeployError("GIT_REMOTE_UNKNOWN", `${app} has no repository on this server.`, "Run `deploy git-remote` in the app's folder first.");
	return remoteSettings.parse(JSON.parse(text));
}

export async function writeRemoteSettings(home: AgentHome, app: string, settings: RemoteSettings): Promise<void> {
	await writeJsonAtomic(gitPaths(home, app).settings, settings);
}

/** Creates the bare repository when it is not there; (re)writes its hook either way. True when it was created. */
export async function ensureRepository(home: AgentHome, app: string, hook: { node: string; agent: string }): Promise<boolean> {
	const { repository } = gitPaths(home, app);
	const created = !existsSync(join(repository, "HEAD"));
	await mkdir(repository, { recursive: true, mode: 0o700 });
	const { simpleGit } = await import("simple-git");
	const git = simpleGit(repository);
	if (created) await git.init(true);
	// `git push -o detach` needs the server to advertise push options.
	await git.addConfig("receive.advertisePushOptions", "true");
	const hookPath = join(repository, "hooks", "pre-receive");
	await mkdir(join(repository, "hooks"), { recursive: true });
	await writeFile(hookPath, preReceiveScript(home, app, hook));
	await chmod(hookPath, 0o700);
	return created;
}

/** The hook: the agent's own `git-hook` command, which hands the push to the daemon (agents/git/hook.ts). */
export function preReceiveScript(home: AgentHome, app: string, hook: { node: string; agent: string }): string {
	return [
		"#!/bin/sh",
		"# Written by the deploy agent (issue 18): the push's updates go to the agent daemon, which deploys them;",
		"# a failed deploy rejects the push. Rewritten by every `deploy git-remote`.",
		`DEPLOY_AGENT_HOME=${shellQuote(home.root)} exec ${shellQuote(hook.node)} ${shellQuote(hook.agent)} git-hook ${shellQuote(app)}`,
		"",
	].join("\n");
}

/** git's version on this server; GIT_MISSING with a hint when there is none. */
export async function gitVersion(): Promise<string> {
	const { simpleGit } = await import("simple-git");
	const version = await simpleGit().version().catch(() => null);
	if (!version?.installed) {
		throw new DeployError("GIT_MISSING", "git is not installed on the server: a push needs it there.", "Install it on the server (`apt-get install git` on Debian and Ubuntu), then run `deploy git-remote` again.");
	}
	return `${version.major}.${version.minor}.${version.patch}`;
}
