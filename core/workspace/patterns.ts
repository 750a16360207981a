/**
 * Workspace package patterns as npm, yarn and pnpm write them ("packages/*",
 * "apps/**", "tools/cli", "!packages/legacy"): `*` matches within one folder name,
 * `**` any number of folders, a leading `!` excludes. Pure: tested by equality.
 */
export function matchesWorkspace(patterns: readonly string[], folder: string): boolean {
	let matched = false;
	for (const raw of patterns) {
		const negated = raw.startsWith("!");
		const pattern = normalize(negated ? raw.slice(1) : raw);
		if (pattern && matchSegments(pattern.split("/"), folder.split("/"))) matched = !negated;
	}
	return matched;
}

function normalize(pattern: string): string {
	return pattern.trim().replace(/^\.\//, "").replace(/\/+$/, "");
}

function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
	if (pattern.length === 0) return path.length === 0;
	const [head, ...rest] = pattern;
	if (head === "**") return matchSegments(rest, path) || (path.length > 0 && matchSegments(pattern, path.slice(1)));
	return path.length > 0 && segmentRegExp(head!).test(path[0]!) && matchSegments(rest, path.slice(1));
}

function segmentRegExp(segment: string): RegExp {
	const escaped = segment.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, "[^/]*");
	return new RegExp(`^${escaped}$`);
}
