import { isAbsolute, relative } from "node:path";

/** True when `path` stays inside `root` (both absolute). Text only: links are not followed (agents/deploy/release-paths.ts does that). */
export function isInside(root: string, path: string): boolean {
	const rel = relative(root, path);
	return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
