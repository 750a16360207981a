import { readdir, readFile, realpath } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { DeployError } from "../protocol/errors.js";
import { matchesWorkspace } from "./patterns.js";

/** An npm, yarn or pnpm workspace: one install at its root links its packages to each other. */
export interface Workspace {
	/** The folder whose package.json lists `workspaces`, or that holds pnpm-workspace.yaml. */
	root: string;
	/** The file that declares it, for messages. */
	declaredIn: "package.json" | "pnpm-workspace.yaml";
	/** Its package folder patterns ("packages/*"). */
	patterns: string[];
}

/** A package of a workspace: its folder (POSIX, relative to the root) and its package.json name. */
export interface WorkspacePackage {
	path: string;
	name: string | null;
}

/**
 * The workspace `dir` belongs to: `dir` itself when it is a workspace root, else the
 * nearest folder above whose patterns name `dir` as one of its packages. Null when
 * there is none (a folder inside a package, or above an unrelated workspace, is not one).
 */
export async function findWorkspace(dir: string): Promise<Workspace | null> {
	const start = await realpath(dir).catch(() => dir);
	for (let at = start; ; at = dirname(at)) {
		const workspace = await declaredAt(at);
		if (workspace) {
			const member = posixRelative(workspace.root, start);
			return member === "" || matchesWorkspace(workspace.patterns, member) ? workspace : null;
		}
		if (dirname(at) === at) return null;
	}
}

/** The packages a workspace's patterns name (folders with a package.json, node_modules and dot folders left out), sorted. */
export async function workspacePackages(workspace: Workspace, maxDepth = 4): Promise<WorkspacePackage[]> {
	const found: WorkspacePackage[] = [];
	const visit = async (path: string, depth: number): Promise<void> => {
		if (depth > maxDepth) return;
		const entries = await readdir(join(workspace.root, path), { withFileTypes: true }).catch(() => []);
		for (const entry of entries) {
			if (!entry.isDirectory() || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
			const child = path ? `${path}/${entry.name}` : entry.name;
			if (matchesWorkspace(workspace.patterns, child)) {
				const pkg = await readJson(join(workspace.root, child, "package.json"));
				if (pkg) found.push({ path: child, name: typeof pkg.name === "string" ? pkg.name : null });
			}
			await visit(child, depth + 1);
		}
	};
	await visit("", 1);
	return found.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function posixRelative(from: string, to: string): string {
	return relative(from, to).split(sep).join("/");
}

async function declaredAt(dir: string): Promise<Workspace | null> {
	const pnpm = await readFile(join(dir, "pnpm-workspace.yaml"), "utf8").catch(() => null);
	if (pnpm !== null) {
		const { parse } = await import("yaml");
		let packages: unknown;
		try {
			packages = (parse(pnpm) as { packages?: unknown } | null)?.packages;
		} catch (error) {
			throw new DeployError("WORKSPACE_INVALID", `${join(dir, "pnpm-workspace.yaml")} is not valid YAML: ${(error as Error).message}`, "Fix the file (it lists the workspace's packages: `packages: [\"packages/*\"]`), then deploy again.");
		}
		return { root: dir, declaredIn: "pnpm-workspace.yaml", patterns: strings(packages) };
	}
	const pkg = await readJson(join(dir, "package.json"));
	// npm and yarn: an array, or yarn's { packages: [...] }.
	const declared = pkg?.workspaces;
	const patterns = Array.isArray(declared) ? declared : declared && typeof declared === "object" ? (declared as { packages?: unknown }).packages : undefined;
	return Array.isArray(patterns) ? { root: dir, declaredIn: "package.json", patterns: strings(patterns) } : null;
}

function strings(value: unknown): string[] {
	return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

async function readJson(path: string): Promise<Record<string, unknown> | null> {
	const text = await readFile(path, "utf8").catch(() => null);
	if (text === null) return null;
	try {
		const json: unknown = JSON.parse(text);
		return json && typeof json === "object" ? (json as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}
