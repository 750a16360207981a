// The pure parts of honouring the user's OpenSSH setup (issue 13): what the ssh config
// says of a host (providers/ssh/ssh-config.ts), which known_hosts lines name it
// (known-hosts.ts), and what the host key check makes of them (host-key.ts).
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/errors.js";
import { checkHostKey, fingerprintOf } from "../../../providers/ssh/host-key.js";
import { knownHostKeys, knownHostsName } from "../../../providers/ssh/known-hosts.js";
import { hostConfig, readSshConfig } from "../../../providers/ssh/ssh-config.js";

let work: string;
/** Two ed25519 public key blobs and an RSA one, as a server presents them. */
const keys: Record<"a" | "b" | "rsa", { line: string; blob: Buffer }> = {} as never;

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-ssh-config-"));
	for (const [name, type] of [
		["a", "ed25519"],
		["b", "ed25519"],
		["rsa", "rsa"],
	] as const) {
		const file = join(work, `key_${name}`);
		await execa("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", "", "-f", file]);
		const line = (await readFile(`${file}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
		keys[name] = { line, blob: Buffer.from(line.split(" ")[1]!, "base64") };
	}
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function configOf(text: string): Promise<ReturnType<typeof readSshConfig>> {
	const file = join(work, `config-${Math.random().toString(36).slice(2)}`);
	await writeFile(file, text);
	return readSshConfig(file);
}

describe("ssh config", () => {
	test("an alias gets its HostName, User, Port and IdentityFile; ~ and tokens expand; the first value wins", async () => {
		const config = await configOf(
			["Host web prod-*", "  HostName %h.example.test", "  User deployer", "  Port 2222", "  IdentityFile ~/.ssh/id_%h_%r", "Host *", "  User someone-else", "  Port 22", "  IdentityFile /keys/all"].join("\n"),
		);
		const web = hostConfig(config, "web");
		assert.equal(web.hostName, "web.example.test");
		assert.equal(web.user, "deployer");
		assert.equal(web.port, 2222);
		assert.deepEqual(web.identityFiles, [join(homedir(), ".ssh", "id_web.example.test_deployer"), "/keys/all"]);
		assert.deepEqual(web.knownHostsFiles.slice(0, 1), [join(homedir(), ".ssh", "known_hosts")]);
		// A name no Host block names but `*` keeps itself as the address.
		assert.equal(hostConfig(config, "203.0.113.7").hostName, "203.0.113.7");
		assert.equal(hostConfig(config, "203.0.113.7").user, "someone-else");
		// The user given wins over the config's, as with ssh user@host.
		assert.equal(hostConfig(config, "web", "me").user, "me");
	});

	test("a missing config is empty, Include pulls files in at their place, and a bad port is a clear error", async () => {
		const ssh = join(homedir(), ".ssh");
		assert.deepEqual(hostConfig(readSshConfig(join(work, "nope")), "box"), {
			hostName: "box",
			identityFiles: [],
			knownHostsFiles: [join(ssh, "known_hosts"), join(ssh, "known_hosts2"), "/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"],
		});
		const included = join(work, "conf.d");
		await mkdir(included, { recursive: true });
		await writeFile(join(included, "10-box.conf"), "Host box\n  HostName 10.0.0.5\n  ProxyJump jump@bastion:2200\n");
		await writeFile(join(included, "20-box.conf"), "Host box\n  HostName 10.9.9.9\n");
		const config = await configOf(`Include ${included}/*.conf\nHost box\n  HostName ignored.example.test\n`);
		const box = hostConfig(config, "box");
		assert.equal(box.hostName, "10.0.0.5");
		assert.equal(box.proxyJump, "jump@bastion:2200");

		const bad = await configOf("Host box\n  Port http\n");
		assert.throws(() => hostConfig(bad, "box"), (e: unknown) => e instanceof DeployError && e.code === "SSH_CONFIG_INVALID" && /"http"/.test(e.message));
	});

	test("ProxyCommand is refused with a way out; ProxyJump none means none", async () => {
		const config = await configOf("Host a\n  ProxyCommand nc %h %p\nHost b\n  ProxyJump none\n");
		assert.throws(() => hostConfig(config, "a"), (e: unknown) => e instanceof DeployError && e.code === "SSH_CONFIG_UNSUPPORTED" && /ProxyJump/.test(e.hint ?? ""));
		assert.equal(hostConfig(config, "b").proxyJump, undefined);
	});
});

describe("known_hosts", () => {
	test("plain, wildcard, negated and hashed entries; @cert-authority lines are not host keys", async () => {
		const name = knownHostsName("Box.Example.Test", 2222);
		assert.equal(name, "[box.example.test]:2222");
		assert.equal(knownHostsName("10.0.0.5", 22), "10.0.0.5");
		const hashedFile = join(work, "known_hosts_hashed");
		await writeFile(hashedFile, `[box.example.test]:2222 ${keys.b.line}\n`);
		await execa("ssh-keygen", ["-H", "-f", hashedFile]);
		const hashedLine = (await readFile(hashedFile, "utf8")).trim();
		assert.match(hashedLine, /^\|1\|/);

		const text = [
			"# a comment",
			`other.example.test ${keys.a.line}`,
			`[box.example.test]:2222,10.0.0.5 ${keys.a.line} with a comment`,
			`*.example.test,!box.example.test ${keys.rsa.line}`,
			`[*.example.test]:2222 ${keys.rsa.line}`,
			`@cert-authority *.example.test ${keys.b.line}`,
			hashedLine,
		].join("\n");
		const found = knownHostKeys(text, name, "kh");
		assert.deepEqual(
			found.map((k) => [k.type, k.source, k.key.equals(keys.a.blob) ? "a" : k.key.equals(keys.b.blob) ? "b" : "rsa"]),
			[
				["ssh-ed25519", "kh:3", "a"],
				["ssh-rsa", "kh:5", "rsa"],
				["ssh-ed25519", "kh:7", "b"],
			],
		);
		assert.deepEqual(
			knownHostKeys(text, "box.example.test", "kh").map((k) => k.source),
			[],
			"the negated pattern excludes box on port 22; the others name it on port 2222 only",
		);
	});
});

describe("host key check with known_hosts", () => {
	const entry = (key: keyof typeof keys, revoked = false) => ({ type: key === "rsa" ? "ssh-rsa" : "ssh-ed25519", key: keys[key].blob, revoked, source: `kh:${key}` });
	const code = (error: unknown) => (error instanceof DeployError ? error.code : String(error));

	test("a listed key is trusted without asking; another key of its type is CHANGED even with acceptNew; keys of other types say nothing", async () => {
		await checkHostKey("box", keys.a.blob, { pinned: null, acceptNew: false, known: [entry("a")] });
		await assert.rejects(checkHostKey("box", keys.a.blob, { pinned: null, acceptNew: true, known: [entry("b")] }), (e) => code(e) === "HOST_KEY_CHANGED" && /kh:b/.test((e as Error).message));
		await assert.rejects(checkHostKey("box", keys.a.blob, { pinned: null, acceptNew: false, known: [entry("rsa")] }), (e) => code(e) === "HOST_KEY_UNKNOWN");
		await checkHostKey("box", keys.a.blob, { pinned: null, acceptNew: true, known: [entry("rsa")] });
	});

	test("a @revoked key is refused; a pinned key decides alone", async () => {
		await assert.rejects(checkHostKey("box", keys.a.blob, { pinned: null, acceptNew: true, known: [entry("a"), entry("a", true)] }), (e) => code(e) === "HOST_KEY_REVOKED");
		await checkHostKey("box", keys.a.blob, { pinned: fingerprintOf(keys.a.blob), acceptNew: false, known: [entry("b")] });
		await assert.rejects(checkHostKey("box", keys.a.blob, { pinned: fingerprintOf(keys.b.blob), acceptNew: false, known: [entry("a")] }), (e) => code(e) === "HOST_KEY_CHANGED");
	});

	test("an unknown jump host gets its own hint", async () => {
		await assert.rejects(checkHostKey("bastion", keys.a.blob, { pinned: null, acceptNew: false, known: [], unknownHint: "use ssh once" }), (e) => code(e) === "HOST_KEY_UNKNOWN" && (e as DeployError).hint === "use ssh once");
	});
});
