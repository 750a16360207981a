// Issue 18: a pushed commit as a deploy's manifest. The object store's ids are git blob
// ids (agents/objects/blob-id.ts) and a manifest is {path, mode, id}, so a commit's tree
// (`git ls-tree -r -z --full-tree`) IS the manifest and its blobs are the objects: the
// same content-addressed objects an upload stores, and caches and unchanged-detection
// work the same.
import { type ManifestEntry, manifestEntry } from "../../core/protocol/spec.js";
import { COMMIT_MESSAGE_MAX } from "../../core/protocol/source-info.js";
import { DeployError } from "../../core/protocol/errors.js";

export interface Gitlink {
	path: string;
	commit: string;
}

export interface CommitTree {
	manifest: ManifestEntry[];
	/** The commit message's first line, cleaned as the client cleans it (one line, at most 200 characters). */
	subject: string | undefined;
	/** The blob id of deploy.yaml at the top of the tree; null when there is none. */
	configId: string | null;
	/** The submodules' entries (gitlinks): their path and the commit they pin, fetched by submodules.ts. */
	gitlinks: Gitlink[];
}

/** Reads the commit's tree and subject with git (simple-git), seeing the push's quarantined objects through `env`. */
export async function readCommitTree(repository: string, env: Record<string, string>, commit: string): Promise<CommitTree> {
	const git = await gitIn(repository, env);
	const listing = await git.raw(["ls-tree", "-r", "-z", "--full-tree", commit]);
	const subjectLine = await git.raw(["show", "-s", "--format=%s", commit]);
	return { ...parseTree(listing), subject: cleanSubject(subjectLine) };
}

/** One file of the commit, by blob id, as text (its deploy.yaml, its .deployignore). */
export async function readBlobText(repository: string, env: Record<string, string>, id: string): Promise<string> {
	return (await gitIn(repository, env)).raw(["cat-file", "blob", id]);
}

export async function gitIn(repository: string, env: Record<string, string>) {
	const { simpleGit } = await import("simple-git");
	// simple-git passes on no GIT_* variable it is not told to: these two are the quarantine's, checked by object-env.ts.
	return simpleGit({ baseDir: repository, allowEnvironment: Object.keys(env) }).env({ PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", ...env });
}

/** `<mode> SP <type> SP <id> TAB <path> NUL`, each entry; pure. */
export function parseTree(listing: string): Omit<CommitTree, "subject"> {
	const manifest: ManifestEntry[] = [];
	const gitlinks: Gitlink[] = [];
	let configId: string | null = null;
	for (const line of listing.split("\0")) {
		if (!line) continue;
		const tab = line.indexOf("\t");
		const [mode, type, id] = line.slice(0, tab).split(" ");
		const path = line.slice(tab + 1);
		if (type === "commit" && id) {
			gitlinks.push({ path, commit: id });
			continue;
		}
		if (type !== "blob") continue;
		const entry = manifestEntry.safeParse({ path, mode, id });
		if (!entry.success) throw new DeployError("BAD_SOURCE", `The pushed tree has a file this agent cannot deploy: ${path} (mode ${mode}).`, "Rename or remove it, commit, and push again.");
		manifest.push(entry.data);
		if (path === "deploy.yaml") configId = entry.data.id;
	}
	return { manifest, configId, gitlinks };
}

function cleanSubject(text: string): string | undefined {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is cleaned away
	const line = text.replace(/[\x00-\x1f\x7f-\x9f]+/g, " ").trim();
	return line ? line.slice(0, COMMIT_MESSAGE_MAX) : undefined;
}
