import { createHash } from "node:crypto";
import type { AppSpec, ManifestEntry } from "../../core/protocol/index.js";
import { manifestHash } from "../../core/protocol/manifest.js";

const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock"];

function sha256(parts: unknown[]): string {
	return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

/** Shared with the client, which names its manifest diffs by it. */
export { manifestHash };

/** Everything of the spec a release depends on, hashed (env values included, never stored). */
export function specHash(spec: AppSpec): string {
	return sha256([spec]);
}

/**
 * The dependency cache key: the lockfile's blob id (package.json's when there is no
 * lockfile), .npmrc, the package manager and install overrides, and the Node version
 * the install runs with. Pure: tested by equality.
 */
export function depsKey(manifest: readonly ManifestEntry[], spec: Pick<AppSpec, "install" | "packageManager" | "root">, nodeVersion: string): string {
	const byPath = new Map(manifest.map((e) => [e.path, e.id]));
	const lock = LOCKFILES.find((name) => byPath.has(name));
	const source = lock ? [lock, byPath.get(lock)] : ["package.json", byPath.get("package.json") ?? null];
	// Issue 14: a workspace without a lockfile installs what every package's package.json asks for.
	const packages = spec.root && !lock ? [manifest.filter((e) => e.path.endsWith("package.json") || e.path === "pnpm-workspace.yaml").map((e) => [e.path, e.id])] : [];
	return sha256(["deps/1", ...source, byPath.get(".npmrc") ?? null, spec.install ?? null, spec.packageManager ?? null, nodeVersion, ...packages]);
}

/**
 * The build cache key: every build input. The whole manifest (sources and the config
 * files detection reads), the commands and overrides, the env (a build may inline any
 * of it), and the dependencies. Pure: tested by equality.
 */
export function buildKey(manifest: readonly ManifestEntry[], spec: AppSpec, deps: string): string {
	// Issue 14: which package of a workspace is built (left out otherwise, so existing keys stay the same).
	const root = spec.root ? [spec.root] : [];
	return sha256(["build/1", manifestHash(manifest), spec.build ?? null, spec.framework ?? null, spec.static ?? null, Object.entries(spec.env).sort(), deps, ...root]);
}
