// Issue 16: the agent's edits of authorized_keys keep every line that is not its own byte
// for byte (options, comments, CRLF, no final newline, bytes that are not UTF-8), write
// atomically with the file's own mode, and refuse what is not a public key.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { execa } from "execa";
import { forcedCommand, keyUsedElsewhere, memberKeyLine, withMemberKey, withoutMemberKey } from "../../../agents/access/authorized-keys.js";
import { readAuthorizedKeys, writeAuthorizedKeys } from "../../../agents/access/authorized-keys-file.js";
import { parsePublicKey } from "../../../agents/access/public-key.js";
import { DeployError } from "../../../core/protocol/errors.js";

let dir: string;
let publicKey: string;
let privateKey: string;
const bridge = { node: "/usr/bin/node", agent: "/home/deploy/.deploy/bin/agent.mjs", home: "/home/deploy/.deploy" };

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "deploy-keys-"));
	await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "bob@laptop", "-f", join(dir, "bob")]);
	publicKey = (await readFile(join(dir, "bob.pub"), "utf8")).trim();
	privateKey = await readFile(join(dir, "bob"), "utf8");
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

test("a public key's fingerprint is the one ssh-keygen prints", async () => {
	const printed = (await execa("ssh-keygen", ["-l", "-E", "sha256", "-f", join(dir, "bob.pub")])).stdout.split(" ")[1];
	assert.equal(parsePublicKey(publicKey).fingerprint, printed);
});

test("what is not a public key is refused with a hint", () => {
	const code = (text: string) => {
		try {
			parsePublicKey(text);
			return "accepted";
		} catch (error) {
			assert.ok(error instanceof DeployError && error.hint);
			return `${error.code}: ${error.message}`;
		}
	};
	assert.match(code(privateKey), /BAD_PUBLIC_KEY: That is a private key/);
	assert.match(code("ssh-dss AAAAB3NzaC1kc3MAAACBAP"), /BAD_PUBLIC_KEY: "ssh-dss" is not/);
	assert.match(code(publicKey.replace(/AAAA/, "AAAB")), /BAD_PUBLIC_KEY: The key's data is not a valid ssh-ed25519 key/);
	assert.match(code(`${publicKey}\n${publicKey}`), /BAD_PUBLIC_KEY: The public key must be one line/);
});

test("adding and removing a member keeps every other byte of the file", async () => {
	const others = Buffer.concat([
		Buffer.from('# the owner\r\nfrom="10.0.0.0/8",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwner owner@desk\r\n\n'),
		Buffer.from([0x23, 0x20, 0xe9, 0xff, 0x0a]),
		Buffer.from("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ old@box"),
	]);
	const path = join(dir, "authorized_keys");
	await writeFile(path, others, { mode: 0o640 });
	const key = parsePublicKey(publicKey);
	const line = memberKeyLine(key, forcedCommand(bridge, "bob"), "bob");
	assert.equal(line, `restrict,command="DEPLOY_AGENT_HOME=/home/deploy/.deploy exec /usr/bin/node /home/deploy/.deploy/bin/agent.mjs connect --member bob" ${key.type} ${key.base64} deploy-member:bob`);
	await writeAuthorizedKeys({ path, owner: null }, withMemberKey(await readAuthorizedKeys(path), "bob", line));
	const added = await readFile(path);
	assert.deepEqual(added.subarray(0, others.length), others);
	assert.equal(added.subarray(others.length).toString("latin1"), `\n${line}\n`);
	assert.equal((await stat(path)).mode & 0o777, 0o640);
	// Adding again replaces the line: one line per member.
	const again = withMemberKey(await readAuthorizedKeys(path), "bob", line);
	assert.equal(again.split("deploy-member:bob").length, 2);
	assert.ok(keyUsedElsewhere(await readAuthorizedKeys(path), key, "carol"));
	assert.ok(!keyUsedElsewhere(await readAuthorizedKeys(path), key, "bob"));
	await writeAuthorizedKeys({ path, owner: null }, withoutMemberKey(await readAuthorizedKeys(path), "bob"));
	assert.deepEqual(await readFile(path), Buffer.concat([others, Buffer.from("\n")]));
	// Removing someone who has no line changes nothing; a comment that merely mentions the marker is not ours.
	const text = "# a note about deploy-member:bob\nrestrict,command=\"x\" ssh-ed25519 AAAA deploy-member:bobby\n";
	assert.equal(withoutMemberKey(text, "bob"), text);
});

test("on a sudo login's server the forced command reaches root's agent through sudo -n, passing on what sshd said", () => {
	const system = { node: "/var/lib/deploy/runtimes/agent/bin/node", agent: "/var/lib/deploy/bin/agent.mjs", home: "/var/lib/deploy", viaSudo: true };
	assert.equal(
		forcedCommand(system, "bob"),
		'exec sudo -n DEPLOY_AGENT_HOME=/var/lib/deploy SSH_ORIGINAL_COMMAND=\\"$SSH_ORIGINAL_COMMAND\\" SSH_CLIENT=\\"$SSH_CLIENT\\" /var/lib/deploy/runtimes/agent/bin/node /var/lib/deploy/bin/agent.mjs connect --member bob',
	);
});

test("a path that cannot be quoted inside command=\"…\" is refused", () => {
	assert.throws(() => forcedCommand({ ...bridge, home: '/home/a"b' }, "bob"), /quote or backslash/);
});
