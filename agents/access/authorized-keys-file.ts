// Issue 16: where the members' keys go and the one place that rewrites that file.
import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../fs/atomic-write.js";

/**
 * The login's authorized_keys, the file sshd reads for the agent's user: ~/.ssh/authorized_keys,
 * or DEPLOY_AGENT_AUTHORIZED_KEYS where sshd reads another (an AuthorizedKeysFile of its own,
 * as the tests' sshd has).
 */
export function authorizedKeysPath(env: NodeJS.ProcessEnv = process.env): string {
	return env.DEPLOY_AGENT_AUTHORIZED_KEYS || join(homedir(), ".ssh", "authorized_keys");
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

/** Temp file, fsync, rename: sshd reads the old file or the new, never half; the file keeps its mode. */
export async function writeAuthorizedKeys(path: string, text: string): Promise<void> {
	const mode = await stat(path).then(
		(s) => s.mode & 0o777,
		() => 0o600,
	);
	await writeFileAtomic(path, Buffer.from(text, "latin1"), mode);
}
