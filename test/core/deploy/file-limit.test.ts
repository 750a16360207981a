// The client's side of the file limit (issue 13, item 14), pure: where a tree's files
// are, and the hint that replaces the agent's when it refuses TOO_MANY_FILES.
import assert from "node:assert/strict";
import { describe, test } from "vitest";
import { heaviestFolders, withFileLimitHint } from "../../../core/deploy/file-limit.js";
import { checkFileCount } from "../../../core/protocol/file-limit.js";
import { DeployError } from "../../../core/protocol/index.js";

const files = (folder: string, n: number) => Array.from({ length: n }, (_, i) => `${folder}f${i}`);

describe("file limit", () => {
	test("the agent's check: at the limit passes, one more is TOO_MANY_FILES naming both numbers", () => {
		checkFileCount(100_000, 100_000);
		assert.throws(
			() => checkFileCount(200_000, 100_000),
			(error: unknown) =>
				error instanceof DeployError &&
				error.code === "TOO_MANY_FILES" &&
				error.message === "This deploy has 200,000 files; the server accepts at most 100,000 (DEPLOY_AGENT_MAX_FILES). Nothing was uploaded or changed.",
		);
	});

	test("heaviestFolders: the top folders by files, at most three", () => {
		const paths = [...files("data/", 50), ...files("public/img/", 30), ...files("src/", 10), ...files("docs/", 5), "server.js"];
		assert.deepEqual(heaviestFolders(paths), [
			{ folder: "data/", files: 50 },
			{ folder: "public/", files: 30 },
			{ folder: "src/", files: 10 },
		]);
	});

	test("heaviestFolders goes down a folder that holds nearly everything, and stops at one whose files sit in it", () => {
		const paths = [...files("app/data/", 95), ...files("app/src/", 4), "README.md"];
		assert.deepEqual(heaviestFolders(paths), [
			{ folder: "app/data/", files: 95 },
			{ folder: "app/src/", files: 4 },
		]);
		assert.deepEqual(heaviestFolders([...files("data/", 10), "x"]), [{ folder: "data/", files: 10 }]);
		assert.deepEqual(heaviestFolders(["a", "b"]), []);
	});

	test("withFileLimitHint: the agent's message stays; the hint names the folders and .deployignore (which, in a repository, leaves out tracked files too)", () => {
		const refused = new DeployError("TOO_MANY_FILES", "This deploy has 60 files; the server accepts at most 50 (DEPLOY_AGENT_MAX_FILES). Nothing was uploaded or changed.", "generic");
		const paths = [...files("data/", 55), ...files("src/", 5)];
		const outside = withFileLimitHint(refused, paths, false) as DeployError;
		assert.equal(outside.message, refused.message);
		assert.equal(
			outside.hint,
			"Most of them are in data/ (55), src/ (5). List what the app does not need at run time in .deployignore (gitignore syntax), or raise DEPLOY_AGENT_MAX_FILES in the agent's environment on the server.",
		);
		assert.match((withFileLimitHint(refused, paths, true) as DeployError).hint ?? "", /\.deployignore \(gitignore syntax; unlike \.gitignore it also leaves out files git tracks\)/);
		const other = new DeployError("BUILD_FAILED", "x");
		assert.equal(withFileLimitHint(other, paths, false), other);
	});
});
