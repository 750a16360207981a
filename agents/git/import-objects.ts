// Issue 18: the blobs of a pushed commit that the object store lacks, copied into it
// through its public functions (missing, putMany): `git cat-file --batch` (simple-git has
// no API for it) reads them from the repository and the push's quarantine.
import { spawn } from "node:child_process";
import { DeployError } from "../../core/protocol/errors.js";
import type { Lease } from "../objects/leases.js";
import type { ObjectStore } from "../objects/store.js";

/** Bytes gathered before a batch goes to the store (a batch of 64 files or more is written as one pack). */
const BATCH_BYTES = 32 * 1024 * 1024;

/** Stores every object of `ids` the store lacks; the lease holds them all from here. Returns how many were copied. */
export async function importObjects(store: ObjectStore, lease: Lease, repository: string, env: Record<string, string>, ids: string[], maxObjectBytes: number): Promise<number> {
	const missing = await store.missing(ids, lease);
	if (missing.length === 0) return 0;
	let batch: { id: string; content: Buffer }[] = [];
	let bytes = 0;
	const flush = async () => {
		const objects = batch;
		batch = [];
		bytes = 0;
		await store.putMany(objects, lease);
	};
	for await (const object of catFile(repository, env, missing)) {
		if (object.content.byteLength > maxObjectBytes) {
			throw new DeployError("FILE_TOO_LARGE", `A pushed file (blob ${object.id}) is ${object.content.byteLength} bytes, over the server's limit of ${maxObjectBytes}.`, "Keep large files out of the repository (or raise DEPLOY_AGENT_MAX_OBJECT_MB on the server).");
		}
		batch.push(object);
		bytes += object.content.byteLength;
		if (bytes >= BATCH_BYTES) await flush();
	}
	await flush();
	return missing.length;
}

/** `git cat-file --batch`: `<id> <type> <size>\n<content>\n` per id asked. */
async function* catFile(repository: string, env: Record<string, string>, ids: string[]): AsyncGenerator<{ id: string; content: Buffer }> {
	const child = spawn("git", ["cat-file", "--batch"], { cwd: repository, env: { ...process.env, ...env, GIT_DIR: repository }, stdio: ["pipe", "pipe", "pipe"] });
	let stderr = "";
	child.stderr.on("data", (chunk) => {
		stderr += chunk;
	});
	const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
	child.stdin.on("error", () => undefined);
	child.stdin.end(`${ids.join("\n")}\n`);
	let buffer: Buffer = Buffer.alloc(0);
	let header: { id: string; size: number } | null = null;
	for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
		buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
		for (;;) {
			if (!header) {
				const end = buffer.indexOf(10);
				if (end < 0) break;
				const [id, type, size] = buffer.subarray(0, end).toString("latin1").split(" ");
				buffer = buffer.subarray(end + 1);
				if (type !== "blob" || !id) throw new DeployError("BAD_SOURCE", `git could not read object ${id} of the push (${type ?? "missing"}).`, "Push again.");
				header = { id, size: Number(size) };
			}
			if (buffer.length < header.size + 1) break;
			const content = Buffer.from(buffer.subarray(0, header.size));
			buffer = buffer.subarray(header.size + 1);
			const { id } = header;
			header = null;
			yield { id, content };
		}
	}
	const code = await exited;
	if (code !== 0) throw new DeployError("BAD_SOURCE", `git cat-file failed (${code}): ${stderr.trim().slice(0, 300)}`, "Push again.");
}
