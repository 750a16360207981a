// Issue 14, item 7, through the built CLI against a real sshd, the agent and Caddy: a
// folder with only an index.html (no package.json) deploys as a static site with no
// build, `deploy init` in it writes a deploy.yaml that says so, and `deploy init` in
// a folder with nothing recognisable writes a commented deploy.yaml instead of refusing.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { parse } from "yaml";
import { httpGet } from "../helpers/net.js";
import { startTestServer, type TestServer } from "./server.js";

describe("a folder of plain files", () => {
	let server: TestServer;
	let scratch: string;
	/** A folder named `name` holding `files`, as a user would make one. */
	const folder = async (name: string, files: Record<string, string>) => {
		const dir = join(scratch, name);
		for (const [path, text] of Object.entries(files)) {
			await mkdir(join(dir, path, ".."), { recursive: true });
			await writeFile(join(dir, path), text);
		}
		await mkdir(dir, { recursive: true });
		return dir;
	};

	beforeAll(async () => {
		server = await startTestServer("hello");
		scratch = await mkdtemp(join(tmpdir(), "deploy-e2e-plain-site-"));
	});
	afterAll(async () => {
		await server?.stop();
		await rm(scratch, { recursive: true, force: true });
	});

	test("`deploy` in a folder with only index.html serves it through Caddy, with no install and no build", async () => {
		const dir = await folder("brochure", { "index.html": "<h1>Plain brochure</h1>\n" });
		const run = await server.cli(["--json"], dir);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(run.last.status, "live");
		const steps = run.lines.filter((line) => line.type === "step" && line.status === "skipped").map((line) => line.step);
		assert.ok(steps.includes("install") && steps.includes("build"), `install and build skipped: ${JSON.stringify(steps)}`);
		const answer = await httpGet(server.httpPort, "brochure.127.0.0.1.sslip.io");
		assert.equal(answer.status, 200);
		assert.equal(answer.body, "<h1>Plain brochure</h1>\n");
	});

	test("a dotfile in the folder: the deploy warns that it will be public; listed in .deployignore, it is not uploaded or served", async () => {
		const dir = await folder("flyer", { "index.html": "<h1>Flyer</h1>\n", ".env": "TOKEN=not-for-the-web\n" });
		const run = await server.cli(["--json"], dir);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const warnings = run.lines.filter((line) => line.type === "log" && String(line.line).startsWith("warning:")).map((line) => line.line);
		assert.deepEqual(warnings, ["warning: this folder is served as it is, so .env will be public; list what must stay private in .deployignore"]);
		// What the warning says is so.
		assert.equal((await httpGet(server.httpPort, "flyer.127.0.0.1.sslip.io", "/.env")).status, 200);

		await writeFile(join(dir, ".deployignore"), ".env\n");
		const again = await server.cli(["--json"], dir);
		assert.equal(again.code, 0, again.stderr + again.stdout);
		assert.equal(again.lines.filter((line) => String(line.line ?? "").startsWith("warning:")).length, 0);
		assert.equal((await httpGet(server.httpPort, "flyer.127.0.0.1.sslip.io", "/.env")).status, 404);
		assert.equal((await httpGet(server.httpPort, "flyer.127.0.0.1.sslip.io")).body, "<h1>Flyer</h1>\n");
	});

	test("index.html in public/: that folder is the site", async () => {
		const dir = await folder("leaflet", { "public/index.html": "<h1>Leaflet</h1>\n", "notes.txt": "not served\n" });
		const run = await server.cli(["--json"], dir);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal((await httpGet(server.httpPort, "leaflet.127.0.0.1.sslip.io")).body, "<h1>Leaflet</h1>\n");
		assert.equal((await httpGet(server.httpPort, "leaflet.127.0.0.1.sslip.io", "/notes.txt")).status, 404);
	});

	test("`deploy init` writes a deploy.yaml that serves the folder as it is; a deploy with it answers the same", async () => {
		const dir = await folder("pamphlet", { "index.html": "<h1>Pamphlet</h1>\n" });
		const init = await server.cli(["init"], dir);
		assert.equal(init.code, 0, init.stderr);
		assert.match(init.stdout, /static: \./);
		const text = await readFile(join(dir, "deploy.yaml"), "utf8");
		assert.deepEqual(parse(text), { app: "pamphlet", static: { dir: ".", spa: false } });
		assert.match(text, /No package\.json here: the files of this folder are served as they are/);
		const run = await server.cli(["--json"], dir);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal((await httpGet(server.httpPort, "pamphlet.127.0.0.1.sslip.io")).body, "<h1>Pamphlet</h1>\n");
	});

	test("nothing recognisable: `deploy` says what it looked for and points to init; init writes a commented deploy.yaml to fill in", async () => {
		const dir = await folder("blank", { "README.txt": "notes\n" });
		const refused = await server.cli(["--json"], dir);
		assert.equal(refused.code, 2, refused.stdout);
		const error = refused.last.error as { code: string; message: string; hint: string };
		assert.equal(error.code, "CONFIG_INVALID");
		assert.match(error.message, /no deploy\.yaml, package\.json or index\.html/);
		assert.match(error.message, /deploy init/);

		const init = await server.cli(["init"], dir);
		assert.equal(init.code, 0, init.stderr);
		assert.match(init.stdout, /processes\.web: not found/);
		const text = await readFile(join(dir, "deploy.yaml"), "utf8");
		assert.deepEqual(parse(text), { app: "blank" });
		assert.match(text, /Nothing here says how to run the app/);
		assert.match(text, /^# processes:/m);
		assert.match(text, /^# static:/m);
	});
});
