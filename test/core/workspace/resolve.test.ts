// Issue 14, item 8: which workspace a project folder is in, which of its packages is
// the app, and what a deploy uploads. Real folders on disk, no mocks.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, test } from "vitest";
import { DeployError } from "../../../core/protocol/index.js";
import { findWorkspace, workspacePackages } from "../../../core/workspace/find.js";
import { matchesWorkspace } from "../../../core/workspace/patterns.js";
import { sourceLayout } from "../../../core/workspace/resolve.js";
import { checkWorkspaceRootRuns } from "../../../core/workspace/root-start.js";
import { appSpec } from "../../../core/protocol/index.js";

const scratch = await mkdtemp(join(tmpdir(), "deploy-workspace-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

let count = 0;
async function tree(files: Record<string, string>): Promise<string> {
	const root = join(scratch, `w${count++}`);
	for (const [path, text] of Object.entries(files)) {
		await mkdir(dirname(join(root, path)), { recursive: true });
		await writeFile(join(root, path), text);
	}
	return root;
}

const npmWorkspace = {
	"package.json": JSON.stringify({ name: "shop", workspaces: ["packages/*", "apps/**", "!packages/legacy"] }),
	"packages/web/package.json": JSON.stringify({ name: "@shop/web" }),
	"packages/lib/package.json": JSON.stringify({ name: "@shop/lib" }),
	"packages/legacy/package.json": JSON.stringify({ name: "legacy" }),
	"apps/admin/ui/package.json": JSON.stringify({}),
	"packages/web/src/index.js": "",
};

describe("workspace patterns", () => {
	test("* is one folder name, ** any depth, ! excludes, ./ and trailing / are ignored", () => {
		const patterns = ["packages/*", "apps/**", "!packages/legacy", "./tools/cli/"];
		assert.equal(matchesWorkspace(patterns, "packages/web"), true);
		assert.equal(matchesWorkspace(patterns, "packages/web/src"), false);
		assert.equal(matchesWorkspace(patterns, "packages/legacy"), false);
		assert.equal(matchesWorkspace(patterns, "apps/admin/ui"), true);
		assert.equal(matchesWorkspace(patterns, "tools/cli"), true);
		assert.equal(matchesWorkspace(["web-*"], "web-app"), true);
		assert.equal(matchesWorkspace(["web-*"], "api"), false);
	});
});

describe("finding the workspace", () => {
	test("from a package: the npm workspace above; from inside a package or outside: none", async () => {
		const root = await tree(npmWorkspace);
		assert.deepEqual(await findWorkspace(join(root, "packages/web")), { root, declaredIn: "package.json", patterns: ["packages/*", "apps/**", "!packages/legacy"] });
		assert.equal((await findWorkspace(root))?.root, root);
		assert.equal(await findWorkspace(join(root, "packages/web/src")), null);
		assert.equal(await findWorkspace(join(root, "packages/legacy")), null);
	});

	test("pnpm-workspace.yaml and yarn's { packages } form", async () => {
		const pnpm = await tree({ "pnpm-workspace.yaml": "packages:\n  - 'apps/*'\n", "package.json": "{}", "apps/site/package.json": "{}" });
		assert.deepEqual(await findWorkspace(join(pnpm, "apps/site")), { root: pnpm, declaredIn: "pnpm-workspace.yaml", patterns: ["apps/*"] });
		const yarn = await tree({ "package.json": JSON.stringify({ workspaces: { packages: ["web"] } }), "web/package.json": "{}" });
		assert.equal((await findWorkspace(join(yarn, "web")))?.root, yarn);
	});

	test("a broken pnpm-workspace.yaml is a clear error", async () => {
		const broken = await tree({ "pnpm-workspace.yaml": "packages: [\n", "web/package.json": "{}" });
		await assert.rejects(findWorkspace(join(broken, "web")), (error: unknown) => error instanceof DeployError && error.code === "WORKSPACE_INVALID");
	});

	test("its packages: folders with a package.json that the patterns name, sorted, with their names", async () => {
		const root = await tree(npmWorkspace);
		const workspace = await findWorkspace(root);
		assert.deepEqual(await workspacePackages(workspace!), [
			{ path: "apps/admin/ui", name: null },
			{ path: "packages/lib", name: "@shop/lib" },
			{ path: "packages/web", name: "@shop/web" },
		]);
	});
});

describe("what a deploy uploads", () => {
	test("outside a workspace: the project folder, nothing else", async () => {
		const dir = await tree({ "package.json": "{}" });
		assert.deepEqual(await sourceLayout(dir), { sourceDir: dir });
	});

	test("in a package: the workspace root, with the package as root; root: from the workspace root names the same", async () => {
		const root = await tree(npmWorkspace);
		const fromPackage = await sourceLayout(join(root, "packages/web"));
		assert.equal(fromPackage.sourceDir, root);
		assert.equal(fromPackage.root, "packages/web");
		assert.equal((await sourceLayout(root, "packages/web")).root, "packages/web");
		assert.equal((await sourceLayout(root)).root, undefined);
	});

	test("root: that is not a package, or without a workspace, is a config error naming the packages", async () => {
		const root = await tree(npmWorkspace);
		await assert.rejects(sourceLayout(root, "packages/legacy"), (error: unknown) => error instanceof DeployError && error.code === "CONFIG_INVALID" && /apps\/admin\/ui, packages\/lib, packages\/web/.test(error.hint ?? ""));
		const alone = await tree({ "package.json": "{}" });
		await assert.rejects(sourceLayout(alone, "web"), (error: unknown) => error instanceof DeployError && error.code === "CONFIG_INVALID" && /not in a workspace/.test(error.message));
	});

	test("the workspace root runs when it has a start script or a web command; otherwise the error lists its packages", async () => {
		const root = await tree(npmWorkspace);
		const workspace = (await findWorkspace(root))!;
		const spec = appSpec.parse({ name: "shop" });
		await assert.rejects(checkWorkspaceRootRuns(workspace, spec), (error: unknown) => error instanceof DeployError && error.code === "NO_START_COMMAND" && /packages\/web \(@shop\/web\)/.test(error.message));
		await checkWorkspaceRootRuns(workspace, appSpec.parse({ name: "shop", processes: { web: { command: "node serve.js" } } }));
		await writeFile(join(root, "package.json"), JSON.stringify({ workspaces: ["packages/*"], scripts: { start: "node ." } }));
		await checkWorkspaceRootRuns(workspace, spec);
	});
});
