// Issue 13: the system users apps run and build as. Made with useradd the first time an
// app needs one, recorded in <home>/app-users.json (what a purge or a preview's removal
// takes away again), and never one the agent did not make (its comment says whose it is).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import * as z from "zod";
import { DeployError } from "../../core/protocol/index.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { readTextIfExists } from "../fs/read-if-exists.js";
import type { AppIdentity } from "./launch.js";
import { appUserComment, appUserName } from "./names.js";

const identity = z.object({ name: z.string(), uid: z.number().int(), gid: z.number().int() });
const usersRecord = z.object({ version: z.literal(1), users: z.record(z.string(), identity) });
type UsersRecord = z.infer<typeof usersRecord>;

/** Where the users an agent made are listed (test fixtures read it too, to remove them). */
export function appUsersPath(root: string): string {
	return join(root, "app-users.json");
}

/** The paths of the tools this needs, found by the isolation probe. */
export interface UserTools {
	useradd: string;
	userdel: string;
	groupdel: string | null;
	nologin: string;
}

interface PasswdEntry {
	uid: number;
	gid: number;
	comment: string;
}

export class AppUsers {
	readonly #known = new Map<string, AppIdentity>();
	/** One change of /etc/passwd and of the record at a time. */
	#chain: Promise<unknown> = Promise.resolve();

	constructor(
		readonly root: string,
		private readonly tools: UserTools,
	) {}

	/** The user of an app this daemon made sure of; undefined before ensure(). Synchronous: the instance spawner is. */
	get(app: string): AppIdentity | undefined {
		return this.#known.get(app);
	}

	/** The app's user, made on first need. A user of that name made by someone else is refused, never taken over. */
	ensure(app: string): Promise<AppIdentity> {
		const known = this.#known.get(app);
		if (known) return Promise.resolve(known);
		return this.#serial(async () => {
			const name = appUserName(app, this.root);
			const comment = appUserComment(app, this.root);
			let entry = await passwdEntry(name);
			if (!entry) {
				await retryLocked(() => execa(this.tools.useradd, ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", this.tools.nologin, "--user-group", "--comment", comment, name], { reject: false }), `useradd ${name}`);
				entry = await passwdEntry(name);
				if (!entry) throw new DeployError("APP_USER_FAILED", `useradd made no user ${name}.`, "Check /etc/passwd and the system's useradd; the deploy changed nothing.");
			}
			if (entry.comment !== comment) {
				throw new DeployError(
					"APP_USER_TAKEN",
					`The server already has a user ${name} (uid ${entry.uid}) that this agent did not make ("${entry.comment}"). The app runs as a user of its own, and never as one it did not make.`,
					`Remove or rename that user (userdel ${name}), or deploy the app under another name. Nothing was changed.`,
				);
			}
			const made: AppIdentity = { name, uid: entry.uid, gid: entry.gid };
			await this.#record((users) => ({ ...users, [app]: made }));
			this.#known.set(app, made);
			return made;
		});
	}

	/** Removes the app's user (and its group), once its processes are gone; returns its name, or null when it had none. */
	remove(app: string): Promise<string | null> {
		return this.#serial(async () => {
			const recorded = (await this.#read()).users[app];
			this.#known.delete(app);
			if (!recorded) return null;
			const entry = await passwdEntry(recorded.name);
			// Ours only when its comment still says so: a user someone made since with the same name stays.
			if (entry && entry.comment === appUserComment(app, this.root)) {
				await killProcessesOf(entry.uid);
				// --force: userdel counts every process of that uid on the machine, those of a
				// chroot or container sharing the pid namespace too, which are not this user's
				// (killProcessesOf leaves them be). The user has no home or mail to lose.
				await retryLocked(() => execa(this.tools.userdel, ["--force", recorded.name], { reject: false }), `userdel ${recorded.name}`);
				// userdel leaves the group when USERGROUPS_ENAB is off.
				if (this.tools.groupdel && (await execa("getent", ["group", recorded.name], { reject: false })).exitCode === 0) {
					await retryLocked(() => execa(this.tools.groupdel!, [recorded.name], { reject: false }), `groupdel ${recorded.name}`);
				}
			}
			await this.#record(({ [app]: _gone, ...rest }) => rest);
			return recorded.name;
		});
	}

	/** Every app with a recorded user. */
	async apps(): Promise<string[]> {
		return Object.keys((await this.#read()).users);
	}

	async #read(): Promise<UsersRecord> {
		const text = await readTextIfExists(appUsersPath(this.root));
		if (text === null) return { version: 1, users: {} };
		const parsed = usersRecord.safeParse(JSON.parse(text));
		if (!parsed.success) throw new DeployError("STATE_CORRUPT", `${appUsersPath(this.root)} cannot be read.`, "Fix the file from /etc/passwd (the users named app-…), or remove it.");
		return parsed.data;
	}

	async #record(change: (users: UsersRecord["users"]) => UsersRecord["users"]): Promise<void> {
		const before = await this.#read();
		const users = change(before.users);
		if (JSON.stringify(users) === JSON.stringify(before.users)) return;
		await writeFileAtomic(appUsersPath(this.root), `${JSON.stringify({ version: 1, users }, null, 2)}\n`, 0o600);
	}

	#serial<T>(work: () => Promise<T>): Promise<T> {
		const run = this.#chain.then(work);
		this.#chain = run.catch(() => undefined);
		return run;
	}
}

async function passwdEntry(name: string): Promise<PasswdEntry | null> {
	const run = await execa("getent", ["passwd", name], { reject: false });
	if (run.exitCode !== 0) return null;
	const [, , uid, gid, comment] = String(run.stdout).trim().split(":");
	return { uid: Number(uid), gid: Number(gid), comment: comment ?? "" };
}

/**
 * useradd and userdel lock /etc/passwd and give up at once when another holds it (a
 * second agent on the machine, the operator's adduser): they are tried again for a while.
 */
async function retryLocked(run: () => Promise<{ exitCode?: number | undefined; stderr: unknown }>, what: string): Promise<void> {
	for (let attempt = 0; ; attempt++) {
		const result = await run();
		if (result.exitCode === 0) return;
		const said = String(result.stderr).trim();
		if (/lock/i.test(said) && attempt < 50) {
			await sleep(100 + Math.random() * 200);
			continue;
		}
		throw new DeployError("APP_USER_FAILED", `${what} failed: ${said || `exit code ${result.exitCode}`}.`, "Check that the agent runs as root and that /etc/passwd can be changed; the deploy changed nothing else.");
	}
}

/** The processes whose real or effective user is `uid` (a build's leftovers), killed; a user with processes cannot be removed. */
async function killProcessesOf(uid: number): Promise<void> {
	for (let round = 0; round < 50; round++) {
		const pids = processesOf(uid);
		if (pids.length === 0) return;
		for (const pid of pids) {
			try {
				process.kill(pid, "SIGKILL");
			} catch {
				// already gone
			}
		}
		await sleep(100);
	}
}

/**
 * Only processes of this system: a uid names a user in this root's /etc/passwd alone,
 * and a chroot or container sharing the pid namespace has users of its own with the
 * same numbers (every fresh test server is one: removing a user here killed its apps).
 */
function processesOf(uid: number): number[] {
	const found: number[] = [];
	const ourRoot = rootOf("self");
	for (const entry of readdirSync("/proc")) {
		const pid = Number(entry);
		if (!Number.isInteger(pid)) continue;
		try {
			if (rootOf(String(pid)) !== ourRoot) continue;
			const status = readFileSync(`/proc/${pid}/status`, "utf8");
			const [real, effective] = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status)?.slice(1) ?? [];
			// A zombie is gone already; its parent reaps it.
			if ((Number(real) === uid || Number(effective) === uid) && !/^State:\s+Z/m.test(status)) found.push(pid);
		} catch {
			// gone in between
		}
	}
	return found;
}

/** Where the process's / is, as this process sees it ("/" for its own system). */
function rootOf(pid: string): string {
	return readlinkSync(`/proc/${pid}/root`);
}
