// Issue 12: which Node.js an app asks for. package.json's engines.node first (what npm
// itself checks), else .nvmrc, else .node-version (what nvm, fnm and volta read);
// nothing means the agent's own LTS. Pure: tested by equality.
import validRange from "semver/ranges/valid.js";

export type NodeRequest =
	| { kind: "range"; range: string; source: string }
	/** .nvmrc's lts/* (codename null) or lts/<codename>: the newest release of that LTS line. */
	| { kind: "lts"; codename: string | null; source: string }
	/** .nvmrc's node / latest / current: the newest release. */
	| { kind: "latest"; source: string };

export interface RequestFiles {
	packageJson?: string | null;
	nvmrc?: string | null;
	nodeVersion?: string | null;
}

/** The request, or null when the app asks for nothing; an unreadable one is a range that resolves to nothing (and fails naming it). */
export function nodeRequest(files: RequestFiles): NodeRequest | null {
	const engines = enginesNode(files.packageJson);
	if (engines !== null) return { kind: "range", range: engines, source: "engines.node in package.json" };
	for (const [text, source] of [
		[files.nvmrc, ".nvmrc"],
		[files.nodeVersion, ".node-version"],
	] as const) {
		const line = firstLine(text);
		if (line) return versionFileRequest(line, source);
	}
	return null;
}

function enginesNode(text: string | null | undefined): string | null {
	if (!text) return null;
	try {
		const value = (JSON.parse(text) as { engines?: { node?: unknown } })?.engines?.node;
		return typeof value === "string" && value.trim() ? value.trim() : null;
	} catch {
		return null;
	}
}

function firstLine(text: string | null | undefined): string | null {
	const line = text
		?.split("\n")
		.map((l) => l.replace(/#.*/, "").trim())
		.find(Boolean);
	return line ?? null;
}

function versionFileRequest(line: string, source: string): NodeRequest {
	const value = line.toLowerCase();
	if (value === "node" || value === "latest" || value === "current" || value === "stable") return { kind: "latest", source };
	if (value === "lts/*" || value === "lts") return { kind: "lts", codename: null, source };
	if (value.startsWith("lts/")) return { kind: "lts", codename: value.slice(4), source };
	// "20", "v20.11", "20.11.1": a version file names a release line or one release.
	const range = value.replace(/^v/, "");
	return { kind: "range", range: /^\d+(\.\d+){0,2}$/.test(range) ? range : line, source };
}

/** Whether a range is one semver reads (an impossible one still is: it matches nothing). */
export function isValidRange(range: string): boolean {
	return validRange(range) !== null;
}
