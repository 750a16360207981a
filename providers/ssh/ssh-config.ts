// The user's OpenSSH client configuration (~/.ssh/config, or $DEPLOY_SSH_CONFIG), so
// that a server is reached the way `ssh <name>` reaches it: host aliases (HostName),
// User, Port, IdentityFile, ProxyJump, HostKeyAlias and the known_hosts files. Parsed
// and matched (Host, Match, first value wins) by the `ssh-config` package; what it
// leaves to its callers is done here: top-level Include, `~` and %-tokens, and the
// refusal of what this client cannot do (ProxyCommand).
import { readdirSync, readFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import SSHConfig, { type Line, LineType } from "ssh-config";
import { DeployError } from "../../core/protocol/errors.js";

export interface SshHostConfig {
	/** Where to connect: HostName, else the name itself. */
	hostName: string;
	user?: string;
	port?: number;
	/** IdentityFile lines, `~` and tokens expanded; empty when the config names none. */
	identityFiles: string[];
	/** ProxyJump's `[user@]host[:port]`, when the host is reached through a jump host. */
	proxyJump?: string;
	/** The name known_hosts files list the host under, when not its HostName (HostKeyAlias). */
	hostKeyAlias?: string;
	/** UserKnownHostsFile and GlobalKnownHostsFile, expanded (OpenSSH's defaults when the config names none). */
	knownHostsFiles: string[];
}

/** The ssh config in force: `$DEPLOY_SSH_CONFIG` (tests, or a config of its own), else ~/.ssh/config. */
export function sshConfigPath(): string {
	return process.env.DEPLOY_SSH_CONFIG || join(homedir(), ".ssh", "config");
}

/** The parsed config with its Include lines expanded; empty when the file does not exist (as for ssh). */
export function readSshConfig(path: string = sshConfigPath()): SSHConfig {
	const text = readConfigText(path, true);
	return text === null ? SSHConfig.parse("") : withIncludes(SSHConfig.parse(text), 0);
}

/** What the config says for `name` (an alias, or an address), user `user` when known. */
export function hostConfig(config: SSHConfig, name: string, user?: string): SshHostConfig {
	const values = config.compute(user ? { Host: name, User: user } : { Host: name }, { ignoreCase: true });
	const one = (key: string) => {
		const value = values[key];
		return Array.isArray(value) ? value[0] : value;
	};
	const many = (key: string) => {
		const value = values[key];
		return value === undefined ? undefined : Array.isArray(value) ? value : [value];
	};
	const hostName = expandTokens(one("hostname") ?? name, { h: name });
	const configUser = one("user");
	const port = portOf(one("port"), name);
	const tokens = { h: hostName, r: user ?? configUser ?? localUser(), p: String(port ?? 22) };
	const proxyJump = one("proxyjump");
	const proxyCommand = one("proxycommand");
	if (proxyCommand && proxyCommand !== "none" && (!proxyJump || proxyJump === "none")) {
		throw new DeployError(
			"SSH_CONFIG_UNSUPPORTED",
			`${sshConfigPath()} reaches ${name} through a ProxyCommand (${proxyCommand}), which deploy cannot run.`,
			"Use ProxyJump for a jump host (one hop), or add the server by an address deploy can reach directly.",
		);
	}
	const known = [...(many("userknownhostsfile") ?? ["~/.ssh/known_hosts", "~/.ssh/known_hosts2"]), ...(many("globalknownhostsfile") ?? ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"])];
	const hostKeyAlias = one("hostkeyalias");
	return {
		hostName,
		...(configUser ? { user: configUser } : {}),
		...(port ? { port } : {}),
		identityFiles: (many("identityfile") ?? []).filter((file) => file !== "none").map((file) => expandPath(file, tokens)),
		...(proxyJump && proxyJump !== "none" ? { proxyJump } : {}),
		...(hostKeyAlias ? { hostKeyAlias } : {}),
		knownHostsFiles: known.filter((file) => file !== "none").map((file) => expandPath(file, tokens)),
	};
}

function portOf(value: string | undefined, name: string): number | undefined {
	if (value === undefined) return undefined;
	const port = Number(value);
	if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
	throw new DeployError("SSH_CONFIG_INVALID", `${sshConfigPath()} gives ${name} the port "${value}", which is not a port number.`, "Fix the Port line of that host in your ssh config.");
}

function readConfigText(path: string, optional: boolean): string | null {
	try {
		return readFileSync(path, "utf8");
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (optional && code === "ENOENT") return null;
		throw new DeployError("SSH_CONFIG_INVALID", `The ssh config ${path} cannot be read (${code ?? String(error)}).`, "Check the file's permissions, or point DEPLOY_SSH_CONFIG at a readable one.");
	}
}

/**
 * Top-level `Include` lines replaced by the files they name, in place (so their Host
 * blocks take their turn in "first value wins"). Relative paths are in ~/.ssh, as
 * for ssh; a wildcard may stand in the file name. Include inside a Host or Match
 * block is not expanded.
 */
function withIncludes(config: SSHConfig, depth: number): SSHConfig {
	const lines: Line[] = [];
	for (const line of config) {
		if (line.type !== LineType.DIRECTIVE || !/^include$/i.test(line.param)) {
			lines.push(line);
			continue;
		}
		// OpenSSH's own limit on nested Includes, against a file that includes itself.
		if (depth >= 16) throw new DeployError("SSH_CONFIG_INVALID", `${sshConfigPath()} nests Include more than 16 deep.`, "Check the Include lines of your ssh config for a loop.");
		const patterns = Array.isArray(line.value) ? line.value.map((part) => part.val) : [line.value];
		for (const pattern of patterns) {
			for (const file of includedFiles(expandPath(pattern, {}))) {
				const text = readConfigText(file, true);
				if (text !== null) lines.push(...withIncludes(SSHConfig.parse(text), depth + 1));
			}
		}
	}
	const expanded = SSHConfig.parse("");
	expanded.push(...lines);
	return expanded;
}

function includedFiles(pattern: string): string[] {
	const path = isAbsolute(pattern) ? pattern : join(homedir(), ".ssh", pattern);
	const name = basename(path);
	if (!/[*?]/.test(name)) return [path];
	const matcher = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
	try {
		return readdirSync(dirname(path))
			.filter((entry) => matcher.test(entry))
			.sort()
			.map((entry) => join(dirname(path), entry));
	} catch {
		return [];
	}
}

/** `~` and the %-tokens ssh expands in file names: %d home, %u local user, %h host, %r remote user, %p port, %% a percent sign. */
function expandPath(value: string, tokens: Record<string, string>): string {
	const home = homedir();
	const tilde = value === "~" ? home : value.startsWith("~/") ? join(home, value.slice(2)) : value;
	return expandTokens(tilde, { d: home, u: localUser(), ...tokens });
}

function expandTokens(value: string, tokens: Record<string, string>): string {
	return value.replace(/%(.)/g, (whole, token: string) => (token === "%" ? "%" : (tokens[token] ?? whole)));
}

function localUser(): string {
	try {
		return userInfo().username;
	} catch {
		return process.env.USER ?? "";
	}
}
