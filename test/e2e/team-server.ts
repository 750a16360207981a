// Issue 16: a server with a team for the tests of roles: the owner (the key of
// `servers add`) deploys two apps, `hello` (given to team acme) and `other` (left in the
// default team), creates team acme and adds alice (admin) and bob (member, apps: hello),
// each with a real key of their own. A member's CLI is the same built CLI with a local
// store of its own that names the member's key.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFile, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { execa } from "execa";
import { RpcClient } from "../../core/rpc/client.js";
import { type CliRun, runCli } from "../helpers/cli.js";
import { startTestServer, type TestServer } from "./server.js";

export type Who = "owner" | "admin" | "member" | "outsider";

export interface TeamServer {
	server: TestServer;
	/** Private key files; outsider's public key is on no line of authorized_keys. */
	keys: Record<Who, string>;
	/** Each person's local store (DEPLOY_HOME). */
	homeOf(who: Who): string;
	/** The CLI as alice (admin) or bob (member): their own local store, their own key. */
	cliAs(who: Who, args: string[], cwd?: string): Promise<CliRun>;
	/** The member's key speaking the agent's protocol as the deploy client does: ssh runs the connect script, sshd the forced command. */
	rpcAs(who: Who): Promise<{ rpc: RpcClient; close(): Promise<void> }>;
	/** `ssh -i <key> <options> user@host <command>`; resolves with its exit code and output (killed after `timeoutMs`). */
	ssh(who: Who, options: string[], command?: string[], timeoutMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }>;
	/** A hash of the server's state: the agent's files (without logs and metrics, which move by themselves, and the members' last-seen times) and authorized_keys. */
	stateHash(): Promise<string>;
	stop(): Promise<void>;
}

export async function startTeamServer(): Promise<TeamServer> {
	const server = await startTestServer("hello");
	const dir = await mkdtemp(join(tmpdir(), "deploy-team-"));
	const keys = { owner: server.sshd.identityFile } as Record<Who, string>;
	for (const who of ["admin", "member", "outsider"] as const) {
		keys[who] = join(dir, who);
		await execa("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `${who}@test`, "-f", keys[who]]);
	}
	const must = async (run: Promise<CliRun>) => {
		const done = await run;
		if (done.code !== 0) throw new Error(`${done.stdout}\n${done.stderr}`);
		return done;
	};
	await must(server.cli(["--json"]));
	await must(server.cli(["--app", "other", "--json"]));
	await must(server.cli(["team", "create", "acme", "--apps", "hello"]));
	await must(server.cli(["team", "add", "alice", "--key", `${keys.admin}.pub`, "--role", "admin", "--team", "acme"]));
	await must(server.cli(["team", "add", "bob", "--key", `${keys.member}.pub`, "--role", "member", "--team", "acme", "--apps", "hello"]));

	// Each person's own machine: the owner's store copied (the server, its pinned host key), with their key instead.
	const homes = { owner: server.env.DEPLOY_HOME! } as Record<Who, string>;
	for (const who of ["admin", "member", "outsider"] as const) {
		homes[who] = join(dir, `${who}-home`);
		await execa("mkdir", ["-p", homes[who]]);
		await copyFile(join(server.env.DEPLOY_HOME!, "deploy.db"), join(homes[who], "deploy.db"));
		const db = new Database(join(homes[who], "deploy.db"));
		db.prepare("UPDATE servers SET identity_file = ?").run(keys[who]);
		db.close();
	}
	const target = `${server.sshd.user}@127.0.0.1`;
	const sshArgs = (who: Who) => ["-i", keys[who], "-p", String(server.sshd.port), "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"];
	return {
		server,
		keys,
		homeOf: (who) => homes[who],
		cliAs: (who, args, cwd = server.appDir) => runCli(args, { cwd, env: { DEPLOY_HOME: homes[who] } }),
		async rpcAs(who) {
			// The client's connect script, cut short: a member's key runs the forced command instead, the owner's runs this.
			const connect = 'echo deploy-agent:ready; exec "$DEPLOY_AGENT_HOME/runtimes/agent/bin/node" "$DEPLOY_AGENT_HOME/bin/agent.mjs" connect';
			const child = spawn("ssh", [...sshArgs(who), target, connect], { stdio: ["pipe", "pipe", "pipe"] });
			let stderr = "";
			child.stderr.on("data", (chunk) => {
				stderr += chunk;
			});
			// The bridge's first line is the `ready` marker, as for the client's script; the RPC stream follows it.
			const stream = new PassThrough();
			let marker = "";
			child.stdout.on("data", (chunk: Buffer) => {
				if (marker.endsWith("\n")) {
					stream.write(chunk);
					return;
				}
				const text = chunk.toString("latin1");
				const end = text.indexOf("\n");
				marker += end < 0 ? text : text.slice(0, end + 1);
				if (end >= 0 && end + 1 < chunk.length) stream.write(chunk.subarray(end + 1));
			});
			child.stdout.on("end", () => stream.end());
			const rpc = new RpcClient(stream, child.stdin);
			child.on("exit", () => rpc.fail(new Error(`ssh exited: ${stderr}`)));
			return {
				rpc,
				close: () =>
					new Promise<void>((resolve) => {
						if (child.exitCode !== null || child.signalCode !== null) return resolve();
						child.once("exit", () => resolve());
						child.stdin.end();
					}),
			};
		},
		ssh: (who, options, command = [], timeoutMs = 20_000) =>
			new Promise((resolve) => {
				const child = spawn("ssh", [...sshArgs(who), ...options, target, ...command], { stdio: ["ignore", "pipe", "pipe"] });
				let stdout = "";
				let stderr = "";
				child.stdout.on("data", (c) => {
					stdout += c;
				});
				child.stderr.on("data", (c) => {
					stderr += c;
				});
				const timer = setTimeout(() => child.kill(), timeoutMs);
				child.on("close", (code) => {
					clearTimeout(timer);
					resolve({ code, stdout, stderr });
				});
			}),
		async stateHash() {
			const hash = createHash("sha256");
			const home = server.sshd.agentHome;
			const files = (await readdir(home, { recursive: true, withFileTypes: true }))
				.filter((e) => e.isFile())
				.map((e) => relative(home, join(e.parentPath, e.name)))
				.filter((path) => !/(^|\/)(logs?|metrics|runtimes|bin|objects)(\/|$)|\.log$|^agent\.|\.sock$|^proxy\/(data|config)\//.test(path))
				.sort();
			for (const path of files) {
				const bytes = await readFile(join(home, path)).catch(() => Buffer.alloc(0));
				// When each member was last seen is bookkeeping the agent notes on every login, not state a call changes.
				hash.update(path).update(path === "team.json" ? bytes.toString().replace(/"lastSeen": "[^"]*"/g, '"lastSeen": null') : bytes);
			}
			hash.update(await readFile(server.sshd.authorizedKeysFile));
			return hash.digest("hex");
		},
		async stop() {
			await server.stop();
			await rm(dir, { recursive: true, force: true });
		},
	};
}
