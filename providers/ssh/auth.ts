// Which credentials to offer, in OpenSSH's spirit: the identity file the user named,
// else the running ssh-agent with the IdentityFile lines of their ssh config, else with
// the usual key files. Keys are parsed here so that an unreadable or
// passphrase-protected file gets a clear error, not a failed login.
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import ssh2, { type AnyAuthMethod } from "ssh2";
import { DeployError } from "../../core/protocol/errors.js";

export interface AuthPlan {
	methods: AnyAuthMethod[];
	/** What was offered, for the error message when the server refuses all of it. */
	offered: string[];
}

export interface AuthSources {
	user: string;
	identityFile?: string | undefined;
	/** The host's IdentityFile lines in the ssh config: tried instead of the usual key files, as ssh does; missing ones skipped. */
	identityFiles?: string[] | undefined;
	agentSocket?: string | undefined;
	home?: string;
}

const DEFAULT_KEYS = ["id_ed25519", "id_ecdsa", "id_rsa"];

export function authPlan(sources: AuthSources): AuthPlan {
	const { user, identityFile, agentSocket } = sources;
	const agent: AnyAuthMethod[] = agentSocket ? [{ type: "agent", username: user, agent: agentSocket }] : [];
	if (identityFile) {
		const key = readKey(identityFile, true);
		if (key === "encrypted") {
			// A passphrase-protected key is usable through the agent that holds it.
			if (agent.length) return { methods: agent, offered: [`ssh-agent (for ${identityFile})`] };
			throw new DeployError(
				"SSH_AUTH_FAILED",
				`The identity file ${identityFile} is protected by a passphrase.`,
				`Load it into ssh-agent (ssh-add ${identityFile}) and run again with SSH_AUTH_SOCK set.`,
			);
		}
		return { methods: [{ type: "publickey", username: user, key: key! }], offered: [identityFile] };
	}
	const methods = [...agent];
	const offered = agent.length ? ["ssh-agent"] : [];
	const home = sources.home ?? homedir();
	const configured = sources.identityFiles ?? [];
	for (const path of configured.length ? configured : DEFAULT_KEYS.map((name) => join(home, ".ssh", name))) {
		const key = readKey(path, false);
		if (key && key !== "encrypted") {
			methods.push({ type: "publickey", username: user, key });
			offered.push(path);
		}
	}
	if (methods.length === 0 && configured.length) {
		throw new DeployError(
			"SSH_AUTH_FAILED",
			`No SSH key to log in to the server as ${user}: your ssh config names ${configured.join(", ")}, none of them is a key without a passphrase, and no ssh-agent is running.`,
			"Check the IdentityFile lines of the host in your ssh config, or start ssh-agent and ssh-add the key.",
		);
	}
	if (methods.length === 0) {
		throw new DeployError(
			"SSH_AUTH_FAILED",
			`No SSH key to log in to the server as ${user}: no identity file was given, no ssh-agent is running, and ~/.ssh holds no usable id_ed25519, id_ecdsa or id_rsa.`,
			"Create a key (ssh-keygen -t ed25519), install it on the server (ssh-copy-id), or start ssh-agent and ssh-add your key.",
		);
	}
	return { methods, offered };
}

/** The key's bytes, "encrypted" when it needs a passphrase, null when absent (and optional). */
function readKey(path: string, required: boolean): Buffer | "encrypted" | null {
	let data: Buffer;
	try {
		data = readFileSync(path);
	} catch (error) {
		if (!required) return null;
		const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be read";
		throw new DeployError("SSH_AUTH_FAILED", `The identity file ${path} ${reason}.`, "Check the path of the server's identity file.");
	}
	const parsed = ssh2.utils.parseKey(data);
	if (!(parsed instanceof Error)) return data;
	if (/passphrase|encrypted/i.test(parsed.message)) return "encrypted";
	if (!required) return null;
	throw new DeployError("SSH_AUTH_FAILED", `The identity file ${path} is not a private key ssh can use: ${parsed.message}.`, "Point the server at the private key file (not the .pub).");
}
