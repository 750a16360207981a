// Issue 14, items 6 and 18: what a new user types in the first minutes, run through the
// built CLI: a mistyped command gets a suggestion instead of being taken for a folder,
// `deploy help <command>` works, and the help is grouped and ends with examples. No
// server is involved: each of these fails or answers before anything connects (the
// folder that does deploy is in deploy.test.ts, against a real sshd and Caddy).
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, test } from "vitest";
import { runCli } from "../helpers/cli.js";

describe("the command line a new user types", () => {
	let home: string;
	let project: string;
	const env = () => ({ DEPLOY_HOME: home });

	beforeAll(async () => {
		home = await mkdtemp(join(tmpdir(), "deploy-help-home-"));
		project = await mkdtemp(join(tmpdir(), "deploy-help-project-"));
	});

	afterAll(async () => {
		await rm(home, { recursive: true, force: true });
		await rm(project, { recursive: true, force: true });
	});

	test("`deploy deplyo` is an unknown command with a suggestion, not a missing folder; nothing is written", async () => {
		const run = await runCli(["deplyo"], { cwd: project, env: env() });
		assert.equal(run.code, 2, run.stderr);
		assert.match(run.stderr, /unknown command 'deplyo'/);
		assert.match(run.stderr, /Did you mean deploy\?/);
		assert.match(run.stderr, /hint .*`deploy --help` lists the commands/);
		assert.doesNotMatch(run.stderr, /does not exist|deploy\.yaml/);
		assert.deepEqual(await readdir(home), []);
		assert.deepEqual(await readdir(project), []);
	});

	test("`deploy sevrers add x` suggests `servers`, not 'too many arguments'", async () => {
		const run = await runCli(["sevrers", "add", "x"], { cwd: project, env: env() });
		assert.equal(run.code, 2, run.stderr);
		assert.match(run.stderr, /unknown command 'sevrers'/);
		assert.match(run.stderr, /Did you mean servers\?/);
		assert.doesNotMatch(run.stderr, /too many arguments/);
	});

	test("a mistyped subcommand suggests its sibling and points at the group's help", async () => {
		const run = await runCli(["servers", "ad", "prod", "root@203.0.113.7"], { cwd: project, env: env() });
		assert.equal(run.code, 2, run.stderr);
		assert.match(run.stderr, /Did you mean add\?/);
		assert.match(run.stderr, /`deploy help servers` shows its options and examples/);
	});

	test("a folder written as a path that is not there says so, with no deploy.yaml advice", async () => {
		const run = await runCli(["./deplyo"], { cwd: project, env: env() });
		assert.equal(run.code, 2, run.stderr);
		assert.match(run.stderr, /The project folder .*deplyo does not exist/);
		assert.doesNotMatch(run.stderr, /Fix deploy\.yaml|deploy\.yaml:|deploy init/);
		assert.match(run.stderr, /hint .*the path of the app's folder/);
	});

	test("`deploy help ls` prints ls's help, as `deploy ls --help` does", async () => {
		const run = await runCli(["help", "ls"], { cwd: project, env: env() });
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /^Usage: deploy ls \[options\]/);
		assert.equal(run.stdout, (await runCli(["ls", "--help"], { cwd: project, env: env() })).stdout);
		const nested = await runCli(["help", "servers", "add"], { cwd: project, env: env() });
		assert.equal(nested.code, 0, nested.stderr);
		assert.match(nested.stdout, /^Usage: deploy servers add \[options\] <name> <destination>/);
		const unknown = await runCli(["help", "lss"], { cwd: project, env: env() });
		assert.equal(unknown.code, 2);
		assert.match(unknown.stderr, /unknown command 'lss'\n\(Did you mean ls\?\)/);
	});

	test("`deploy --help` lists the commands under Apps, Servers, Config, Observe and Team, then examples", async () => {
		const run = await runCli(["--help"], { cwd: project, env: env() });
		assert.equal(run.code, 0, run.stderr);
		const headings = run.stdout.split("\n").filter((line) => /^\S.*:$/.test(line));
		assert.deepEqual(headings, ["Options:", "Apps:", "Servers:", "Config:", "Observe:", "Team:", "Help:", "Examples:"]);
		const section = (heading: string) => commandsUnder(run.stdout, heading);
		assert.deepEqual(section("Apps:").slice(0, 2), ["deploy", "preview"]);
		assert.ok(section("Servers:").includes("servers"));
		assert.ok(section("Config:").includes("env"));
		assert.ok(section("Observe:").includes("logs"));
		assert.match(run.stdout, /Examples:\n {2}deploy servers add prod root@203\.0\.113\.7 +set a server up/);
		assert.match(run.stdout, /\n {2}deploy apps\/web --server prod +another folder/);
	});

	test("every command's help, down to each subcommand, ends with examples of that command", async () => {
		const top = (await runCli(["--help"], { cwd: project, env: env() })).stdout;
		const pending = ["Apps:", "Servers:", "Config:", "Observe:", "Team:"].flatMap((heading) => commandsUnder(top, heading).map((name) => [name]));
		const checked: string[] = [];
		while (pending.length > 0) {
			const path = pending.shift()!;
			const run = await runCli(["help", ...path], { cwd: project, env: env() });
			assert.equal(run.code, 0, `deploy help ${path.join(" ")}: ${run.stderr}`);
			const examples = run.stdout.split("\nExamples:\n")[1];
			assert.ok(examples, `deploy help ${path.join(" ")} has no examples`);
			// `deploy [folder]` is typed without its name.
			const typed = path.join(" ") === "deploy" ? "deploy" : `deploy ${path.join(" ")}`;
			assert.match(examples, new RegExp(`^ {2}${typed}\\b`, "m"), `deploy help ${path.join(" ")}: its examples use it`);
			// A group (servers, env, ...) lists its subcommands under commander's "Commands:".
			for (const sub of commandsUnder(run.stdout, "Commands:")) if (sub !== "help") pending.push([...path, sub]);
			checked.push(path.join(" "));
		}
		assert.ok(checked.includes("servers add") && checked.includes("env set") && checked.includes("deploy"), checked.join(", "));
	});
});

/** The command names listed under a heading of a help text (the first word of each entry). */
function commandsUnder(help: string, heading: string): string[] {
	const lines = help.split("\n");
	const start = lines.indexOf(heading);
	if (start < 0) return [];
	const names: string[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line === "" || /^\S/.test(line)) break;
		const name = /^ {2}([a-z][\w-]*)/.exec(line)?.[1];
		if (name) names.push(name);
	}
	return names;
}
