// Runs the real agent bundle the way a provider does: `node bin/agent.mjs connect`
// with its own DEPLOY_AGENT_HOME, spoken to with the real RpcClient over stdio.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { request } from "node:http";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";
import assert from "node:assert/strict";
import { DeployError, type ManifestEntry, packObjects, type ParamsOf } from "../../core/protocol/index.js";
import { RpcClient } from "../../core/rpc/client.js";
import { openParents, removeHomeUsers, removeStaleAppUsers } from "./app-users.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * Builds dist/agent.mjs and installs it in `home`/bin, as the client uploads it. The
 * agent runs as root here, so its apps run as users of their own: the folders above
 * the home (mkdtemp's, 0700) let them pass, as /var/lib does on a server.
 */
export function installAgent(home: string): string {
	execFileSync("npm", ["run", "build"], { cwd: repoRoot, stdio: "pipe" });
	removeStaleAppUsers();
	const target = join(home, "bin", "agent.mjs");
	mkdirSync(dirname(target), { recursive: true });
	openParents(home);
	copyFileSync(join(repoRoot, "dist", "agent.mjs"), target);
	return target;
}

export function sha256File(path: string): string {
	return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export interface Bridge {
	rpc: RpcClient;
	child: ChildProcess;
	close(): Promise<void>;
}

/** One `connect` bridge: starts the daemon when needed (with `extraEnv`, e.g. tuning knobs), like an SSH exec channel would. */
export function connectBridge(agentPath: string, home: string, extraEnv: Record<string, string> = {}): Bridge {
	const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, DEPLOY_AGENT_HOME: home };
	delete env.NODE_TEST_CONTEXT;
	const child = spawn(process.execPath, [agentPath, "connect"], { env, stdio: ["pipe", "pipe", "pipe"] });
	let stderr = "";
	child.stderr.on("data", (chunk) => {
		stderr += chunk;
	});
	const rpc = new RpcClient(child.stdout, child.stdin);
	child.on("exit", () => rpc.fail(new Error(`bridge exited: ${stderr}`)));
	return {
		rpc,
		child,
		close: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once("exit", () => resolve());
				child.stdin.end();
				setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
			}),
	};
}

/** The git blob id, computed here independently of the agent's code. */
export function gitBlobId(content: Buffer): string {
	return createHash("sha1").update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content])).digest("hex");
}

export interface Snapshot {
	manifest: ManifestEntry[];
	contents: Map<string, Buffer>;
}

/** A folder's files as a manifest plus the blobs, with optional replaced or added files. */
export function snapshot(dir: string, overrides: Record<string, string> = {}): Snapshot {
	const files = new Map<string, Buffer>();
	const walk = (folder: string) => {
		for (const name of readdirSync(folder)) {
			const path = join(folder, name);
			if (statSync(path).isDirectory()) walk(path);
			else files.set(relative(dir, path), readFileSync(path));
		}
	};
	walk(dir);
	for (const [path, text] of Object.entries(overrides)) files.set(path, Buffer.from(text));
	const manifest: ManifestEntry[] = [];
	const contents = new Map<string, Buffer>();
	for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
		const id = gitBlobId(content);
		manifest.push({ path, mode: "100644", id });
		contents.set(id, content);
	}
	return { manifest, contents };
}

export async function upload(rpc: RpcClient, snap: Snapshot): Promise<void> {
	const { missing } = await rpc.call("objects.missing", { ids: snap.manifest.map((e) => e.id) });
	if (missing.length === 0) return;
	await rpc.call("objects.put", putParams(missing.map((id) => snap.contents.get(id)!)));
}

/** objects.put's params for these contents, as the client sends them: ids and sizes, the contents as one deflate stream. */
export function putParams(contents: Buffer[]): ParamsOf<"objects.put"> {
	return packObjects(
		contents.map((content) => ({ id: gitBlobId(content), size: content.length })),
		deflateRawSync(Buffer.concat(contents)).toString("base64"),
	);
}

export { freePort } from "./net.js";

export function httpGet(port: number, host = "127.0.0.1"): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request({ host: "127.0.0.1", port, path: "/", headers: { host }, timeout: 5_000 }, (response) => {
			let body = "";
			response.setEncoding("utf8");
			response.on("data", (chunk) => {
				body += chunk;
			});
			response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
		});
		req.on("timeout", () => req.destroy(new Error("timed out")));
		req.on("error", reject);
		req.end();
	});
}

/** Retries `fn` until it stops throwing (for things that come up in the background). */
export async function eventually<T>(fn: () => Promise<T>, tries = 50): Promise<T> {
	for (let i = 1; ; i++) {
		try {
			return await fn();
		} catch (error) {
			if (i >= tries) throw error;
			await new Promise((r) => setTimeout(r, 200));
		}
	}
}

/** Every app process group the agent recorded in `home`, to stop them after the tests. */
/** Ends what a test's agent started: the daemon (through `via`), every bridge, every recorded app process group. */
export async function stopAgent(home: string, via: Bridge, bridges: Bridge[] = [via]): Promise<void> {
	await via.rpc.call("shutdown", {}).catch(() => undefined);
	for (const bridge of new Set([via, ...bridges])) await bridge.close();
	for (const pid of recordedPids(home)) killGroup(pid);
	// The users the agent made for its apps are this machine's (issue 13).
	await removeHomeUsers(home);
}

export function recordedPids(home: string): number[] {
	const pids: number[] = [];
	const apps = join(home, "apps");
	for (const app of readdirSafe(apps)) {
		try {
			const state = JSON.parse(readFileSync(join(apps, app, "state.json"), "utf8")) as { instances: { pid: number }[] };
			pids.push(...state.instances.map((i) => i.pid));
		} catch {
			// no state: nothing started
		}
	}
	return pids;
}

function readdirSafe(dir: string): string[] {
	try {
		return readdirSync(dir);
	} catch {
		return [];
	}
}

export function killGroup(pid: number): void {
	try {
		process.kill(-pid, "SIGKILL");
	} catch {
		// already gone
	}
}

/** Whether a process exists and is not a zombie (a zombie has already ended). */
export function isRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
	} catch {
		return false;
	}
}

/** Awaits a call that must fail with the DeployError `code`; returns the error for more checks. */
export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<DeployError> {
	const error = await promise.then(
		() => assert.fail(`expected ${code}`),
		(e: unknown) => e,
	);
	assert.ok(error instanceof DeployError, String(error));
	assert.equal(error.code, code, error.message);
	return error;
}
