// Issue 16: where the members' keys go and the one place that rewrites that file.
import { chown, mkdir, readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { writeFileAtomic } from "../fs/atomic-write.js";
import type { AgentHome } from "../home.js";
import { readSystemRecord } from "../system/record.js";

/** The authorized_keys a member's key goes into, and the login it belongs to. */
export interface MemberKeysFile {
	path: string;
	/** The login's uid and gid when the agent (root) writes another user's file: the file stays theirs. */
	owner: { uid: number; gid: number } | null;
	/**
	 * Issue 12's `privilege: sudo`: the login is not the agent's user (the agent is root's),
	 * so the forced command reaches the agent through the login's passwordless sudo.
	 */
	viaSudo: boolean;
}

/**
 * The file sshd reads for the login the server was added with: the agent user's
 * ~/.ssh/authorized_keys; on a system install added by a sudo login, that login's (the
 * agent is root, the login is not); DEPLOY_AGENT_AUTHORIZED_KEYS where sshd reads another
 * file (an AuthorizedKeysFile of its own, as the tests' sshd has).
 */
export async function memberKeysFile(home: AgentHome, env: NodeJS.ProcessEnv = process.env): Promise<MemberKeysFile> {
	const record = await readSystemRecord(home);
	const login = record && record.ownerUid !== 0 && process.getuid?.() === 0 ? await accountOf(record.ownerUid) : null;
	const path = env.DEPLOY_AGENT_AUTHORIZED_KEYS || join(login?.home ?? homedir(), ".ssh", "authorized_keys");
	return { path, owner: login && { uid: login.uid, gid: login.gid }, viaSudo: login !== null };
}

async function accountOf(uid: number): Promise<{ uid: number; gid: number; home: string }> {
	const [, , , gid, , home] = (await execa("getent", ["passwd", String(uid)])).stdout.split(":");
	return { uid, gid: Number(gid), home: home ?? "" };
}

/** The file as latin1 text (every byte one character, so other lines come back byte for byte); "" when absent. */
export async function readAuthorizedKeys(path: string): Promise<string> {
	try {
		return await readFile(path, "latin1");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
		throw error;
	}
}

/** Temp file, fsync, rename: sshd reads the old file or the new, never half; the file keeps its mode (and its login as owner). */
export async function writeAuthorizedKeys(file: Pick<MemberKeysFile, "path" | "owner">, text: string): Promise<void> {
	const mode = await stat(file.path).then(
		(s) => s.mode & 0o777,
		() => 0o600,
	);
	if (file.owner) await ownSshFolder(join(file.path, ".."), file.owner);
	await writeFileAtomic(file.path, Buffer.from(text, "latin1"), mode, file.owner ?? undefined);
}

/** A login without ~/.ssh gets one of its own (sshd's StrictModes refuses a folder another user owns). */
async function ownSshFolder(dir: string, owner: { uid: number; gid: number }): Promise<void> {
	const made = await mkdir(dir, { recursive: true, mode: 0o700 });
	if (made !== undefined) await chown(dir, owner.uid, owner.gid);
}
