// Issue 18: a private repository's deploy key. For an SSH repository URL `hooks add` makes
// an ed25519 key pair for the hook (ssh-keygen, `<home>/hooks/keys/<id>`, 0600 in a 0700
// folder) and answers its public half, which the user adds to the repository as a read-only
// deploy key; the hook's fetches then use only that key. The forge's host key is trusted on
// first use (`<home>/hooks/known_hosts`), as a first `git clone` would.
import { execFile } from "node:child_process";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { DeployError } from "../../core/protocol/errors.js";
import { shellQuote } from "../../core/protocol/shell-quote.js";
import { hookPaths } from "./store.js";

/** ssh:// URLs and scp-like `user@host:path`: the ones fetched over SSH, with a key. */
export const isSshRepository = (url: string): boolean => url.startsWith("ssh://") || /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:/.test(url);

const keyPath = (homeRoot: string, id: string) => join(hookPaths(homeRoot).root, "keys", id);

/** Makes the hook's key pair; answers the public key's line. */
export async function makeDeployKey(homeRoot: string, id: string): Promise<string> {
	const path = keyPath(homeRoot, id);
	await mkdir(join(hookPaths(homeRoot).root, "keys"), { recursive: true, mode: 0o700 });
	try {
		await promisify(execFile)("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `deploy-hook-${id}`, "-f", path]);
	} catch (error) {
		throw new DeployError("SSH_KEYGEN_FAILED", `Could not make the hook's deploy key: ${String((error as Error).message).slice(0, 200)}`, "Install openssh-client on the server (`apt-get install openssh-client`), or use an https URL for a public repository.");
	}
	return (await readFile(`${path}.pub`, "utf8")).trim();
}

export async function removeDeployKey(homeRoot: string, id: string): Promise<void> {
	const path = keyPath(homeRoot, id);
	await Promise.all([rm(path, { force: true }), rm(`${path}.pub`, { force: true })]);
}

/** GIT_SSH_COMMAND for the hook's fetches: its key only, no prompt, the forge's host key remembered. */
export function deployKeySshCommand(homeRoot: string, id: string): string {
	const knownHosts = join(hookPaths(homeRoot).root, "known_hosts");
	return ["ssh", "-i", shellQuote(keyPath(homeRoot, id)), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", `UserKnownHostsFile=${shellQuote(knownHosts)}`].join(" ");
}
