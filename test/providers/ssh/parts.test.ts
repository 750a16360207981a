// The pure parts of the SSH provider: quoting, the remote scripts' markers, the
// fingerprint format and the choice of credentials.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { execa } from "execa";
import { DeployError } from "../../../core/protocol/index.js";
import { authPlan } from "../../../providers/ssh/auth.js";
import { fingerprintOf } from "../../../providers/ssh/host-key.js";
import { parseMarker } from "../../../providers/ssh/remote-scripts.js";
import { quote, shCommand } from "../../../providers/ssh/shell.js";

let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), "deploy-ssh-parts-"));
});
afterAll(() => rm(work, { recursive: true, force: true }));

test("quote leaves plain words alone and makes anything else one literal word", async () => {
	assert.equal(quote("/var/lib/deploy"), "/var/lib/deploy");
	assert.equal(quote("it's"), `'it'"'"'s'`);
	for (const value of ["it's", "a b", "$(id) `id` $HOME", "line\nbreak", "*", "", "\\'\"!"]) {
		const { stdout } = await execa("/bin/sh", ["-c", `printf %s ${quote(value)}`]);
		assert.equal(stdout, value);
	}
});

test("shCommand runs its lines with /bin/sh whatever the login shell", async () => {
	const command = shCommand(["x='a b'", 'echo "$x"']);
	assert.match(command, /^\/bin\/sh -c /);
	const { stdout } = await execa("/bin/bash", ["-c", command]);
	assert.equal(stdout, "a b");
});

test("markers are read from their lines and anything else is noise", () => {
	assert.deepEqual(parseMarker("deploy-agent:ready"), { kind: "ready" });
	assert.deepEqual(parseMarker("deploy-agent:outdated "), { kind: "outdated", installed: null });
	assert.deepEqual(parseMarker("deploy-agent:outdated abc123"), { kind: "outdated", installed: "abc123" });
	assert.deepEqual(parseMarker("deploy-agent:node-missing v18.19.0"), { kind: "node-missing", found: "v18.19.0" });
	assert.equal(parseMarker("Welcome to Ubuntu"), null);
	assert.equal(parseMarker("deploy-agent:something-new"), null);
});

test("fingerprints look like ssh-keygen's", async () => {
	const key = join(work, "host_ed25519");
	await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
	const { stdout } = await execa("ssh-keygen", ["-l", "-E", "sha256", "-f", `${key}.pub`]);
	const blob = Buffer.from((await readFile(`${key}.pub`, "utf8")).split(" ")[1]!, "base64");
	assert.equal(fingerprintOf(blob), stdout.split(" ")[1]);
});

test("credentials: the identity file, else the agent and the default keys", async () => {
	const home = join(work, "home");
	await mkdir(join(home, ".ssh"), { recursive: true });
	const noKeys = () => authPlan({ user: "deploy", home });
	assert.throws(noKeys, (e: unknown) => e instanceof DeployError && e.code === "SSH_AUTH_FAILED" && /ssh-keygen/.test(e.hint ?? ""));

	await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(home, ".ssh", "id_ed25519")]);
	await execa("ssh-keygen", ["-q", "-t", "ecdsa", "-N", "secret", "-f", join(home, ".ssh", "id_ecdsa")]);
	assert.deepEqual(authPlan({ user: "deploy", home }).offered, [join(home, ".ssh", "id_ed25519")]);
	assert.deepEqual(authPlan({ user: "deploy", home, agentSocket: "/tmp/agent.sock" }).offered, ["ssh-agent", join(home, ".ssh", "id_ed25519")]);

	const identity = join(home, ".ssh", "id_ed25519");
	assert.deepEqual(authPlan({ user: "deploy", home, identityFile: identity, agentSocket: "/tmp/agent.sock" }).offered, [identity]);
	const locked = join(home, ".ssh", "id_ecdsa");
	assert.throws(() => authPlan({ user: "deploy", identityFile: locked }), (e: unknown) => e instanceof DeployError && e.code === "SSH_AUTH_FAILED" && /passphrase/.test(e.message));
	assert.deepEqual(authPlan({ user: "deploy", identityFile: locked, agentSocket: "/tmp/agent.sock" }).offered, [`ssh-agent (for ${locked})`]);
	assert.throws(() => authPlan({ user: "deploy", identityFile: join(home, "nope") }), (e: unknown) => e instanceof DeployError && /does not exist/.test(e.message));
});

test("credentials: the ssh config's IdentityFile lines replace the default keys; missing ones are skipped, none usable is a clear error", async () => {
	const home = join(work, "home-config");
	await mkdir(join(home, ".ssh"), { recursive: true });
	await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(home, ".ssh", "id_ed25519")]);
	const configured = join(work, "configured_key");
	await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", configured]);
	const missing = join(work, "missing_key");
	assert.deepEqual(authPlan({ user: "deploy", home, identityFiles: [missing, configured] }).offered, [configured]);
	assert.deepEqual(authPlan({ user: "deploy", home, identityFiles: [configured], agentSocket: "/tmp/agent.sock" }).offered, ["ssh-agent", configured]);
	assert.throws(
		() => authPlan({ user: "deploy", home, identityFiles: [missing] }),
		(e: unknown) => e instanceof DeployError && e.code === "SSH_AUTH_FAILED" && e.message.includes(missing) && /IdentityFile/.test(e.hint ?? ""),
	);
	// The key given with --identity still wins over the config's.
	assert.deepEqual(authPlan({ user: "deploy", home, identityFile: configured, identityFiles: [missing] }).offered, [configured]);
});
