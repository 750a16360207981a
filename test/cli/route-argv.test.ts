// How the first word of a command line is read (cli/route-argv.ts): a command, a
// folder to deploy, or an unknown word commander reports with a suggestion.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "vitest";
import { looksLikeFolder, type RouteContext, routeArgv } from "../../cli/route-argv.js";

const context: RouteContext = {
	commands: new Set(["deploy", "servers", "ls", "logs", "env"]),
	takesValue: (arg) => ["-s", "--server", "-a", "--app", "--ttl"].includes(arg),
	// The folder test on its own: here, `web` exists and nothing else does.
	isFolder: (word) => word === "web" || word.startsWith(".") || word.includes("/"),
};

test("a folder, an option or nothing goes to the deploy command; a command stays as typed", () => {
	const cases: [string[], string[]][] = [
		[[], ["deploy"]],
		[["--json"], ["deploy", "--json"]],
		[["-s", "prod", "--preview"], ["deploy", "-s", "prod", "--preview"]],
		[["-s", "web"], ["deploy", "-s", "web"]],
		[["web"], ["deploy", "web"]],
		[["./deplyo", "--json"], ["deploy", "./deplyo", "--json"]],
		[["--server=prod", "apps/web"], ["deploy", "--server=prod", "apps/web"]],
		[["--", "-odd-name"], ["deploy", "--", "-odd-name"]],
		[["ls", "-n", "5"], ["ls", "-n", "5"]],
		[["servers", "add", "prod", "root@host"], ["servers", "add", "prod", "root@host"]],
		[["deploy", "--json"], ["deploy", "--json"]],
	];
	for (const [typed, routed] of cases) assert.deepEqual(routeArgv(typed, context), routed, typed.join(" "));
});

test("a bare word that is neither a command nor a folder goes first, for commander to name it", () => {
	assert.deepEqual(routeArgv(["deplyo"], context), ["deplyo"]);
	assert.deepEqual(routeArgv(["sevrers", "add", "x"], context), ["sevrers", "add", "x"]);
	assert.deepEqual(routeArgv(["-s", "prod", "deplyo", "--json"], context), ["deplyo", "-s", "prod", "--json"]);
});

test("help <command...> is the command's --help, at any depth", () => {
	assert.deepEqual(routeArgv(["help"], context), ["--help"]);
	assert.deepEqual(routeArgv(["help", "ls"], context), ["ls", "--help"]);
	assert.deepEqual(routeArgv(["help", "servers", "add"], context), ["servers", "add", "--help"]);
	assert.deepEqual(routeArgv(["help", "lss"], context), ["lss"]);
	assert.deepEqual(routeArgv(["--help"], context), ["--help"]);
	assert.deepEqual(routeArgv(["-v"], context), ["-v"]);
});

test("a word names a folder when it is written as a path or exists", async () => {
	const dir = await mkdtemp(join(tmpdir(), "deploy-route-"));
	const cwd = process.cwd();
	try {
		for (const word of [".", "..", "./web", "apps/web", "/srv/web", "~/web", dir]) assert.equal(looksLikeFolder(word), true, word);
		for (const word of ["deplyo", "sevrers", "web"]) assert.equal(looksLikeFolder(word), false, word);
		await mkdir(join(dir, "web"));
		process.chdir(dir);
		assert.equal(looksLikeFolder("web"), true, "a folder that exists here");
	} finally {
		process.chdir(cwd);
		await rm(dir, { recursive: true, force: true });
	}
});
