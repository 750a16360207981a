// The benchmark's SSH user. Root's ~/.bashrc here runs `pyenv init`, which makes every
// SSH exec cost about a second: a dedicated user whose login shell is /bin/sh measures
// this tool rather than root's shell start-up. It has passwordless sudo, as a cloud
// image's login does (issue 12: the agent is root's; the login reaches its socket
// directly and its bridge through sudo). Created for the run, removed after.
import { chmod, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { execa } from "execa";

export interface BenchUser {
	name: string;
	uid: number;
	gid: number;
	remove(): Promise<void>;
}

export async function createBenchUser(name: string): Promise<BenchUser> {
	if (process.getuid?.() !== 0) throw new Error("creating a dedicated SSH user needs root; run with --as-self to measure as the current user");
	await execa("userdel", ["-r", name], { reject: false });
	await execa("useradd", ["--create-home", "--shell", "/bin/sh", name]);
	// useradd leaves the password locked ("!"), and sshd without PAM refuses locked accounts even for keys: "*" is no password, unlocked.
	await execa("usermod", ["--password", "*", name]);
	if ((await execa("sh", ["-c", "command -v sudo"], { reject: false })).exitCode !== 0) {
		console.error("installing sudo for the benchmark's login (apt-get install sudo)…");
		await execa("apt-get", ["install", "-y", "-q", "sudo"], { env: { DEBIAN_FRONTEND: "noninteractive" } });
	}
	const sudoers = `/etc/sudoers.d/${name}`;
	await writeFile(sudoers, `${name} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
	const uid = Number((await execa("id", ["-u", name])).stdout);
	const gid = Number((await execa("id", ["-g", name])).stdout);
	return {
		name,
		uid,
		gid,
		// -r: its home too (npm's cache, Caddy's data).
		remove: async () => {
			await rm(sudoers, { force: true });
			await execa("userdel", ["-r", "-f", name], { reject: false });
		},
	};
}

/** Lets the user reach the test server's files it needs: sshd reads authorized_keys as the user logging in; the agent home stays root's. */
export async function openServerFolder(agentHome: string): Promise<void> {
	await chmod(dirname(agentHome), 0o755);
	await chmod(join(dirname(agentHome), "authorized_keys"), 0o644);
}
