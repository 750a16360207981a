// Issue 12: what `servers add` reads of a bare server and refuses, pure parts, by equality;
// the probe and the root wrapper also run for real in /bin/sh here.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, test } from "vitest";
import { checkSystem, describeSystem, loginPrivilege, missingTools } from "../../../../core/servers/bootstrap/checks.js";
import { PROBE_SCRIPT, parseProbe, type ServerFacts } from "../../../../core/servers/bootstrap/probe.js";
import { rootCommand, userCommand } from "../../../../core/servers/shell.js";
import { distroPackagesCaddy, parseOsRelease, unsupportedReason } from "../../../../core/protocol/server-os.js";
import { nodeArch, parseRuntimeMarker } from "../../../../core/protocol/runtime.js";
import { nodeMirrorOf } from "../../../../core/servers/mirrors.js";
import { serverSetup } from "../../../../core/protocol/spec.js";

const sh = promisify(execFile);
const DEBIAN_12 = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';

function facts(overrides: Partial<ServerFacts> = {}): ServerFacts {
	return {
		uid: 1000,
		user: "admin",
		sudo: "ok",
		sudoMessage: null,
		os: parseOsRelease(DEBIAN_12),
		machine: "x86_64",
		systemd: "running",
		downloader: "curl",
		xz: true,
		apt: true,
		node: null,
		home: "/var/lib/deploy",
		...overrides,
	};
}

describe("servers add: the probe", () => {
	test("its output becomes facts; lines an rc file printed around it are ignored", () => {
		const os = Buffer.from(DEBIAN_12).toString("base64");
		const output = ["Welcome to the box!", "deploy-probe: uid=1000", "deploy-probe: user=admin", "deploy-probe: sudo=denied", "deploy-probe: sudo_message=sudo: a password is required", `deploy-probe: os_release=${os}`, "deploy-probe: machine=aarch64", "deploy-probe: systemd=offline", "deploy-probe: downloader=wget", "deploy-probe: apt=yes", "deploy-probe: node=v18.19.0", "deploy-probe: home=/var/lib/deploy"].join("\n");
		assert.deepEqual(parseProbe(output), {
			uid: 1000,
			user: "admin",
			sudo: "denied",
			sudoMessage: "sudo: a password is required",
			os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)", idLike: [] },
			machine: "aarch64",
			systemd: "offline",
			downloader: "wget",
			xz: false,
			apt: true,
			node: "v18.19.0",
			home: "/var/lib/deploy",
		});
	});

	test("the probe runs in a plain /bin/sh and reports this machine", async () => {
		const { stdout } = await sh("/bin/sh", ["-c", userCommand(PROBE_SCRIPT)]);
		const found = parseProbe(stdout);
		assert.equal(found.uid, process.getuid?.());
		assert.equal(found.machine, (await sh("uname", ["-m"])).stdout.trim());
		assert.equal(found.os.id, parseOsRelease((await sh("cat", ["/etc/os-release"])).stdout).id);
		assert.ok(["running", "offline", "absent"].includes(found.systemd));
	});
});

describe("servers add: what refuses a server before anything changes", () => {
	test("root and passwordless sudo pass; a sudo that wants a password says what to add to sudoers", () => {
		assert.equal(loginPrivilege(facts({ uid: 0, user: "root", sudo: "root" }), "h:22"), "root");
		assert.equal(loginPrivilege(facts(), "h:22"), "sudo");
		assert.throws(
			() => loginPrivilege(facts({ user: "carol", sudo: "denied", sudoMessage: "sudo: a password is required" }), "h:22"),
			(error: Error & { code?: string; hint?: string }) => {
				assert.equal(error.code, "SUDO_PASSWORD_REQUIRED");
				assert.match(error.message, /carol on h:22 may use sudo only with a password \(sudo: a password is required\).*Nothing was changed/);
				assert.match(error.hint ?? "", /carol ALL=\(ALL\) NOPASSWD:ALL/);
				assert.match(error.hint ?? "", /\/etc\/sudoers.d\/carol/);
				return true;
			},
		);
		assert.throws(() => loginPrivilege(facts({ sudo: "missing" }), "h:22"), { code: "SUDO_MISSING" });
	});

	test("Debian 11/12/13 and Ubuntu 22.04/24.04 on x86_64 or aarch64; anything else is named as found", () => {
		const os = (id: string, versionId: string, prettyName = "") => ({ id, versionId, prettyName, idLike: [] });
		for (const [id, version] of [["debian", "11"], ["debian", "12"], ["debian", "13"], ["ubuntu", "22.04"], ["ubuntu", "24.04"]] as const) {
			assert.equal(unsupportedReason(os(id, version), "x86_64"), null, `${id} ${version}`);
			assert.equal(unsupportedReason(os(id, version), "aarch64"), null, `${id} ${version} arm`);
		}
		assert.equal(unsupportedReason(os("ubuntu", "20.04", "Ubuntu 20.04.6 LTS"), "x86_64"), "This server runs Ubuntu 20.04.6 LTS (ID=ubuntu, VERSION_ID=20.04 in /etc/os-release). Supported: Debian 11, 12 and 13, Ubuntu 22.04 and 24.04, on x86_64 or aarch64.");
		assert.equal(unsupportedReason(os("debian", "12", "Debian 12"), "armv7l"), "This server runs the architecture armv7l (uname -m). Supported: Debian 11, 12 and 13, Ubuntu 22.04 and 24.04, on x86_64 or aarch64.");
		assert.match(unsupportedReason(os("alpine", "3.20.0", "Alpine Linux v3.20"), "riscv64") ?? "", /^This server runs Alpine Linux v3.20 \(ID=alpine, VERSION_ID=3.20.0 in \/etc\/os-release\) and the architecture riscv64/);
		assert.throws(() => checkSystem(facts({ os: os("centos", "9") }), "h:22"), (error: Error & { code?: string }) => error.code === "UNSUPPORTED_SERVER" && /Nothing was changed/.test(error.message));
		assert.equal(describeSystem(facts({ node: "v18.19.0" })), "Debian GNU/Linux 12 (bookworm), x86_64 (its own Node.js v18.19.0 stays as it is)");
	});

	test("os-release values, quoted or not", () => {
		assert.deepEqual(parseOsRelease("ID=ubuntu\nVERSION_ID='24.04'\nID_LIKE=debian\nPRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\n# comment\n"), { id: "ubuntu", versionId: "24.04", prettyName: "Ubuntu 24.04.1 LTS", idLike: ["debian"] });
	});

	test("Caddy from the distribution only where it packages one", () => {
		const os = (id: string, versionId: string) => ({ id, versionId, prettyName: "", idLike: [] });
		assert.deepEqual(
			[os("debian", "11"), os("debian", "12"), os("debian", "13"), os("ubuntu", "22.04"), os("ubuntu", "24.04")].map(distroPackagesCaddy),
			[false, true, true, false, true],
		);
	});

	test("tools the runtime's download needs, as Debian packages", () => {
		assert.deepEqual(missingTools(facts()), []);
		assert.deepEqual(missingTools(facts({ downloader: "none", xz: false })), ["curl", "xz-utils"]);
	});
});

describe("servers add: root's commands and the runtime script's answers", () => {
	test("rootCommand keeps every argument whole (spaces, quotes) and runs the script as root here", async () => {
		const { stdout } = await sh("/bin/sh", ["-c", rootCommand('printf "%s|" "$@"; id -u', ["a b", "c'd", "$HOME"])]);
		assert.equal(stdout, `a b|c'd|$HOME|${process.getuid?.()}\n`);
	});

	test("the install script's markers", () => {
		assert.deepEqual(parseRuntimeMarker("noise\ndeploy-runtime: installed node-v24.22.3-linux-x64 abc123\n"), { kind: "installed", folder: "node-v24.22.3-linux-x64", sha256: "abc123" });
		assert.deepEqual(parseRuntimeMarker("deploy-runtime: checksum-mismatch aaa bbb"), { kind: "checksum-mismatch", expected: "aaa", actual: "bbb" });
		assert.deepEqual(parseRuntimeMarker("deploy-runtime: no-xz"), { kind: "no-xz" });
		assert.equal(parseRuntimeMarker("nothing"), null);
		assert.deepEqual([nodeArch("x86_64"), nodeArch("aarch64"), nodeArch("armv7l")], ["x64", "arm64", null]);
	});

	test("the Node mirror: flag, else DEPLOY_NODE_MIRROR, else the stored one, else nodejs.org; a bad one is refused", () => {
		const saved = process.env.DEPLOY_NODE_MIRROR;
		try {
			delete process.env.DEPLOY_NODE_MIRROR;
			assert.deepEqual(nodeMirrorOf(undefined), { mirror: "https://nodejs.org/dist", given: null });
			assert.deepEqual(nodeMirrorOf(undefined, "http://m.internal/node/"), { mirror: "http://m.internal/node", given: "http://m.internal/node" });
			process.env.DEPLOY_NODE_MIRROR = "https://env.example/dist";
			assert.equal(nodeMirrorOf(undefined, "http://stored").mirror, "https://env.example/dist");
			assert.equal(nodeMirrorOf("http://flag/dist").mirror, "http://flag/dist");
			assert.throws(() => nodeMirrorOf("ftp://nope"), { code: "BAD_ARGUMENT" });
			// A password in a mirror URL would show in the server's process list and in step messages: refused, and not repeated.
			assert.throws(
				() => nodeMirrorOf("https://me:s3cret@mirror.internal/dist"),
				(error: Error & { code?: string }) => error.code === "BAD_ARGUMENT" && /must not carry a user name or password/.test(error.message) && !error.message.includes("s3cret"),
			);
			assert.equal(serverSetup.safeParse({ proxy: "caddy", httpPort: 80, httpsPort: 443, address: "203.0.113.7", nodeMirror: "http://me:s3cret@m/dist" }).success, false, "the agent refuses it too");
		} finally {
			if (saved === undefined) delete process.env.DEPLOY_NODE_MIRROR;
			else process.env.DEPLOY_NODE_MIRROR = saved;
		}
	});
});
