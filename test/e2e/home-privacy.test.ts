// Issue 13, item 5: the agent's home is its own. Whatever the login's umask (022 here,
// the usual one), nothing the product makes on the server (the home, the agent's
// upload, release sources, dependencies and build output, caches, deployment records,
// logs, state, the proxy's files) may be read or written by another user: an app that
// prints a secret must not hand it to every login of the machine. The built CLI against
// a real sshd, the agent and Caddy; Node.js comes from a mirror on 127.0.0.1, installed
// by `servers add` and by the agent for an app asking for another major.
import assert from "node:assert/strict";
import { lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { type NodeMirror, startNodeMirror } from "../fixtures/node-mirror.js";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

/**
 * The one thing in the home kept with modes of its own: a Node.js release as published
 * (nothing of anyone in it), so that isolation can give it to the apps' users. It sits
 * in runtimes/, which is walked and must be private itself.
 */
const NODE_RELEASE = /^\/runtimes\/node-v[^/]+(\/|$)/;
/** Issue 13: the agent's bundle, the published code a static site's file server runs from as the app's user: readable, in a bin/ that lists nothing. */
const AGENT_BUNDLE = "/bin/agent.mjs";

/**
 * Every path under `root` that its group or others may read or write, with its mode (a
 * symlink has none of its own). Passing through a folder (x alone) lists and reads nothing.
 */
async function notPrivate(root: string): Promise<string[]> {
	const found: string[] = [];
	const visit = async (path: string) => {
		const info = await lstat(path);
		const where = path.slice(root.length) || "/";
		if (info.isSymbolicLink() || NODE_RELEASE.test(where) || where === AGENT_BUNDLE) return;
		if ((info.mode & 0o066) !== 0) found.push(`${(info.mode & 0o777).toString(8).padStart(4, "0")} ${where}`);
		if (info.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
	};
	await visit(root);
	return found;
}

describe("the agent's home is private whatever the login's umask", () => {
	let server: TestServer;
	let mirror: NodeMirror;

	beforeAll(async () => {
		// sshd, and every session it starts, inherit this: the login's umask is the common 022.
		process.umask(0o022);
		mirror = await startNodeMirror();
		// No runtime seeded: `servers add` installs the agent's from the mirror, as on a bare server.
		server = await startTestServer("hello", { sshd: { runtime: false }, addArgs: ["--node-mirror", mirror.url] });
	});
	afterAll(async () => {
		await server?.stop();
		await mirror?.stop();
	});

	test("after servers add, env set and a deploy that installs a runtime, dependencies and a build, no file or folder of the home is open to others", async () => {
		const app = server.appDir;
		const pkg = JSON.parse(await readFile(join(app, "package.json"), "utf8")) as Record<string, unknown>;
		// Another major than the agent's (the agent installs it from the mirror), a dependency
		// (installed and cached; a folder of the project, so no registry is needed) and a build.
		await writeFile(join(app, "package.json"), JSON.stringify({ ...pkg, engines: { node: "22" }, dependencies: { greeting: "file:./greeting" }, scripts: { ...(pkg.scripts as object), build: "node build.js" } }, null, 2));
		await mkdir(join(app, "greeting"));
		await writeFile(join(app, "greeting", "package.json"), JSON.stringify({ name: "greeting", version: "1.0.0", main: "index.js" }));
		await writeFile(join(app, "greeting", "index.js"), 'module.exports = "built";\n');
		await writeFile(join(app, "build.js"), 'import { mkdirSync, writeFileSync } from "node:fs";\nimport greeting from "greeting";\nmkdirSync("dist", { recursive: true });\nwriteFileSync("dist/built.txt", greeting);\n');
		// The app prints its secret, as the one in the issue did: it lands in the app's log.
		const source = await readFile(join(app, "server.js"), "utf8");
		await writeFile(join(app, "server.js"), `${source}\nconsole.log("token", process.env.API_TOKEN);\n`);

		const set = await server.cli(["env", "set", "API_TOKEN=s3cret-value"]);
		assert.equal(set.code, 0, set.stderr);
		const deploy = await server.cli([]);
		assert.equal(deploy.code, 0, deploy.stderr + deploy.stdout);
		assert.match(deploy.stderr, /runtime Node\.js v22\.23\.5 installed/, "the agent installed the app's Node.js");
		assert.match(deploy.stderr, /✓ install/, deploy.stderr);
		assert.match(deploy.stderr, /✓ build/, deploy.stderr);
		assert.equal((await httpGet(server.httpPort, "hello.127.0.0.1.sslip.io")).body, "Hello from Deploy Platform\n");
		const logs = await server.cli(["logs", "--lines", "50"]);
		assert.match(logs.stdout, /token s3cret-value/, "the secret is in the app's log on the server");

		const home = server.sshd.agentHome;
		const runtimes = await readdir(join(home, "runtimes"));
		assert.ok(runtimes.includes("node-v24.22.3-linux-x64") && runtimes.includes("node-v22.23.5-linux-x64"), `both runtimes installed: ${runtimes.join(", ")}`);
		const open = await notPrivate(home);
		assert.equal(open.length, 0, `readable or writable by group or others under ${home} (mode, path):\n${open.join("\n")}`);
	});
});
