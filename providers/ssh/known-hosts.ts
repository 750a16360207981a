// OpenSSH's known_hosts files as a second source of trust: a server the user's own
// ssh already knows is pinned on first contact without asking, and one whose key
// differs from what ssh knows is refused. The format is small and stable (sshd(8),
// "SSH_KNOWN_HOSTS FILE FORMAT"): no npm package of standing reads it, so it is read
// here, plain and hashed entries alike.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";

export interface KnownHostKey {
	/** The key's algorithm, as its blob names it: `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`. */
	type: string;
	/** The public key blob, as the server presents it. */
	key: Buffer;
	/** A `@revoked` line: this key must never be trusted. */
	revoked: boolean;
	/** `file:line`, for messages. */
	source: string;
}

/** How known_hosts names a host: `host`, or `[host]:port` off port 22; lower case. */
export function knownHostsName(host: string, port: number): string {
	const name = host.toLowerCase();
	return port === 22 ? name : `[${name}]:${port}`;
}

/** The keys that the files list for `name` (a missing or unreadable file lists none, as for ssh). */
export function readKnownHosts(files: string[], name: string): KnownHostKey[] {
	return files.flatMap((file) => {
		let text: string;
		try {
			text = readFileSync(file, "utf8");
		} catch {
			return [];
		}
		return knownHostKeys(text, name, file);
	});
}

/** The keys of one file's text whose host patterns match `name`. */
export function knownHostKeys(text: string, name: string, file: string): KnownHostKey[] {
	const found: KnownHostKey[] = [];
	for (const [index, raw] of text.split("\n").entries()) {
		const fields = raw.trim().split(/\s+/);
		if (!fields[0] || fields[0].startsWith("#")) continue;
		const marker = fields[0].startsWith("@") ? fields.shift() : undefined;
		// Certificate authorities sign host certificates, which this client does not use.
		if (marker === "@cert-authority") continue;
		const [hosts, , base64] = fields;
		if (!hosts || !base64 || !hostsMatch(hosts, name)) continue;
		const key = Buffer.from(base64, "base64");
		const type = keyTypeOf(key);
		if (type) found.push({ type, key, revoked: marker === "@revoked", source: `${file}:${index + 1}` });
	}
	return found;
}

/** The algorithm name at the start of a public key blob (an SSH string), or null for garbage. */
export function keyTypeOf(key: Buffer): string | null {
	if (key.length < 4) return null;
	const length = key.readUInt32BE(0);
	if (length === 0 || length > 64 || key.length < 4 + length) return null;
	return key.subarray(4, 4 + length).toString("latin1");
}

/** A hashed entry (`|1|salt|hmac`, HashKnownHosts) or a list of patterns where a negated match excludes the host. */
function hostsMatch(hosts: string, name: string): boolean {
	if (hosts.startsWith("|1|")) {
		const [, , salt, hash] = hosts.split("|");
		if (!salt || !hash) return false;
		const expected = Buffer.from(hash, "base64");
		const actual = createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest();
		return expected.length === actual.length && timingSafeEqual(expected, actual);
	}
	let matched = false;
	for (const pattern of hosts.toLowerCase().split(",")) {
		const negated = pattern.startsWith("!");
		if (!patternRegex(negated ? pattern.slice(1) : pattern).test(name)) continue;
		if (negated) return false;
		matched = true;
	}
	return matched;
}

/** OpenSSH's wildcards: `*` any run of characters, `?` exactly one. */
function patternRegex(pattern: string): RegExp {
	const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
	return new RegExp(`^${body}$`);
}
