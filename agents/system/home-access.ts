// Who may reach the agent of a system install. Root always; a sudo login that added
// the server gets the socket (and the version file the fast path reads) as its own,
// and the home lets it pass through to them (0711) without listing or reading
// anything else: the folders inside stay root's alone (0700), and the agent creates
// every file under umask 077 (agents/main.ts). Issue 13: once apps have users of their
// own, apps/ too lets them pass (0711) to the one folder each may enter (agents/isolation).
import { existsSync } from "node:fs";
import { chmod, chown, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import type { AgentHome } from "../home.js";
import { appUsersPath } from "../isolation/users.js";

const PRIVATE_FOLDERS = ["objects", "apps", "cache", "proxy"];

export async function uidOf(user: string): Promise<number> {
	const run = await execa("getent", ["passwd", user], { reject: false });
	const uid = Number.parseInt(String(run.stdout).split(":")[2] ?? "", 10);
	if (run.exitCode !== 0 || !Number.isInteger(uid)) throw new DeployError("USER_UNKNOWN", `The server has no user ${user}.`, "Add the server with the login you reach it with.");
	return uid;
}

/**
 * The home's modes: 0711 when a non-root owner must reach its socket, or once apps have
 * users of their own (they pass through it and apps/ to their folders: a repair or an
 * upgrade must not lock running apps out); else 0700.
 */
export async function prepareHome(home: AgentHome, ownerUid: number): Promise<void> {
	const appUsers = existsSync(appUsersPath(home.root));
	await mkdir(home.root, { recursive: true, mode: 0o700 });
	await chmod(home.root, ownerUid !== 0 || appUsers ? 0o711 : 0o700);
	for (const name of PRIVATE_FOLDERS) {
		const dir = join(home.root, name);
		const mode = name === "apps" && appUsers ? 0o711 : 0o700;
		await mkdir(dir, { recursive: true, mode });
		await chmod(dir, mode);
	}
}

/** Gives the owner the daemon's socket and version file (called by the daemon once it listens). */
export async function handToOwner(paths: string[], ownerUid: number): Promise<void> {
	if (ownerUid === 0) return;
	for (const path of paths) await chown(path, ownerUid, 0);
}
