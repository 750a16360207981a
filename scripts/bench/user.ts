// The benchmark's SSH user. Root's ~/.bashrc here runs `pyenv init`, which makes every
// SSH exec cost about a second: a dedicated user whose login shell is /bin/sh measures
// this tool rather than root's shell start-up. Created for the run, removed after.
import { chmod, chown } from "node:fs/promises";
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
	const uid = Number((await execa("id", ["-u", name])).stdout);
	const gid = Number((await execa("id", ["-g", name])).stdout);
	return {
		name,
		uid,
		gid,
		// -r: its home too (npm's cache, Caddy's data).
		remove: async () => void (await execa("userdel", ["-r", "-f", name], { reject: false })),
	};
}

/** Lets the user own the test server's agent home (the sshd fixture makes its folder 0700 for root). */
export async function handAgentHome(agentHome: string, user: BenchUser): Promise<void> {
	await chmod(dirname(agentHome), 0o755);
	// sshd reads authorized_keys as the user logging in.
	await chmod(join(dirname(agentHome), "authorized_keys"), 0o644);
	await execa("chown", ["-R", `${user.uid}:${user.gid}`, agentHome]);
	await chown(agentHome, user.uid, user.gid);
}
