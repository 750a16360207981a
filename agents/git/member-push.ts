// Issue 18: a push through a team member's key. sshd runs the key's forced command (the
// bridge, `connect --member <id>`) with `git-receive-pack '<path>'` as
// SSH_ORIGINAL_COMMAND; exactly that is allowed, for a repository of this agent only, and
// run with the member's name in its environment, so the hook (hook.ts) speaks to the
// daemon as that member and the role table decides each of the push's deploys.
import { spawn } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { appName } from "../../core/protocol/names.js";
import type { AgentHome } from "../home.js";

/** Set by the bridge for git-receive-pack, read by the hook: the member the push came from. */
export const PUSH_MEMBER_ENV = "DEPLOY_PUSH_MEMBER";
export const PUSH_CLIENT_ENV = "DEPLOY_PUSH_CLIENT";

/**
 * The repository a member's `git-receive-pack '<path>'` names, when it is one of this
 * agent's (`<home>/git/<app>.git`, there); null for any other command or path.
 */
export function pushedRepository(home: AgentHome, asked: string | undefined): string | null {
	const match = /^git-receive-pack '([^']+)'$/.exec(asked?.trim() ?? "");
	if (!match?.[1]) return null;
	const name = /^([^/]+)\.git\/?$/.exec(match[1].split("/").filter(Boolean).pop() ?? "")?.[1];
	if (!name || !appName.safeParse(name).success) return null;
	const repository = join(home.root, "git", `${name}.git`);
	if (!existsSync(repository)) return null;
	// The path asked for must be that very folder (not `../` around it or a link to elsewhere).
	try {
		if (realpathSync(match[1]) !== realpathSync(repository) || dirname(realpathSync(repository)) !== realpathSync(join(home.root, "git"))) return null;
	} catch {
		return null;
	}
	return repository;
}

/** Runs git-receive-pack on the repository for the member, its stdio the SSH session's; resolves with its exit code. */
export function runMemberPush(repository: string, member: string): Promise<number> {
	return new Promise((resolve) => {
		const child = spawn("git-receive-pack", [repository], { stdio: "inherit", env: { ...process.env, [PUSH_MEMBER_ENV]: member, [PUSH_CLIENT_ENV]: process.env.SSH_CLIENT ?? "" } });
		child.on("error", () => resolve(127));
		child.on("close", (code) => resolve(code ?? 1));
	});
}
