// Issue 13: which paths of the agent's home an app's user may pass through or owns, as
// data, and the one place that applies it. Everything else in the home stays the
// agent's alone (created under umask 077: agents/main.ts): the socket, secrets.key,
// state, objects, caches, other apps.
import { existsSync, statSync } from "node:fs";
import { chmod, chown, lstat, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";
import { RUNTIMES_DIR } from "../../core/protocol/runtime.js";
import { type AgentHome, appPaths } from "../home.js";
import type { AppIdentity } from "./launch.js";

/** One path: its mode, and who owns it (undefined: left as it is). Folders marked `create` are made when missing. */
export interface PathAccess {
	path: string;
	mode: number;
	uid?: number;
	gid?: number;
	create?: boolean;
}

/** The app's own HOME: npm's cache, its logs, whatever a build or the app keeps there. */
export function appHomeDir(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "home");
}

/**
 * The app's /tmp and /var/tmp (./launch.ts privateTmpArgv): in its app folder, which is
 * the agent's, so the app cannot swap it for a link the agent would then follow.
 */
export function appTmpDir(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "tmp");
}

/**
 * What the app's user needs, and nothing more: to pass through the home and apps/
 * (x only: no listing), into its own app folder and releases/ (through its group, which
 * has no other member), and its HOME. Its release folders are its own (ownTree). It
 * passes through runtimes/ to the Node.js releases, which keep their published modes
 * (nothing of anyone is in them), and reads the agent's bundle, the published code the
 * static file server of a site runs from (no secret is in it either); bin/ lists nothing.
 */
export function accessPlan(home: AgentHome, app: string, identity: AppIdentity, agentUid: number): PathAccess[] {
	const paths = appPaths(home, app);
	return [
		{ path: home.root, mode: 0o711 },
		{ path: home.apps, mode: 0o711, create: true },
		{ path: paths.dir, mode: 0o710, uid: agentUid, gid: identity.gid, create: true },
		{ path: paths.releases, mode: 0o710, uid: agentUid, gid: identity.gid, create: true },
		{ path: appHomeDir(home, app), mode: 0o700, uid: identity.uid, gid: identity.gid, create: true },
		{ path: appTmpDir(home, app), mode: 0o700, uid: identity.uid, gid: identity.gid, create: true },
		{ path: join(home.root, RUNTIMES_DIR), mode: 0o711 },
		{ path: join(home.root, "bin"), mode: 0o711 },
		{ path: join(home.root, "bin", "agent.mjs"), mode: 0o644 },
	];
}

export async function applyAccess(plan: PathAccess[]): Promise<void> {
	for (const entry of plan) {
		if (entry.create) await mkdir(entry.path, { recursive: true, mode: entry.mode });
		else if (!existsSync(entry.path)) continue;
		if (entry.uid !== undefined && entry.gid !== undefined) await chown(entry.path, entry.uid, entry.gid);
		await chmod(entry.path, entry.mode);
	}
}

/**
 * Makes a tree the app's when its top is not (a release materialized by the agent, a
 * cache entry or a release from before issue 13, made as root): chown -R, which never
 * follows a link. Files restored from the caches are hardlinks, so the cache entry
 * becomes the app's too: that is the upgrade of caches made before.
 */
export async function ownTree(path: string, identity: AppIdentity, always = false): Promise<void> {
	const top = await lstat(path).catch(() => null);
	if (!top || (!always && top.uid === identity.uid && top.gid === identity.gid)) return;
	await execa("chown", ["-R", `${identity.uid}:${identity.gid}`, path]);
}

/**
 * The first folder above the home that others may not pass through (no x bit for
 * "other"), or null. Such a parent (a home made with mkdtemp under /tmp, /root) keeps
 * every app's user out of its release: the probe refuses to isolate rather than fail
 * at every start.
 */
export function closedParent(root: string): { path: string; mode: number } | null {
	for (let dir = dirname(root); ; dir = dirname(dir)) {
		const mode = statSync(dir).mode & 0o7777;
		if ((mode & 0o001) === 0) return { path: dir, mode };
		if (dir === dirname(dir)) return null;
	}
}
