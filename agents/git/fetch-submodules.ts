// Issue 18: a commit's submodules fetched for its deploy. Each pinned commit is fetched
// `--depth 1` from its URL into the app's fetch cache (agents/hooks/fetch-commit.ts, the
// webhooks' own), its tree read as a push's is, and its files put under the submodule's
// path: the build sees them as a `git clone --recursive` would. Nested submodules are
// followed a few levels down. A failure names the submodule and its URL, and says that
// the server must reach it.
import type { ManifestEntry } from "../../core/protocol/spec.js";
import { fetchCommit } from "../hooks/fetch-commit.js";
import { type CommitTree, gitIn, readCommitTree } from "./commit-tree.js";
import { parseModules, planSubmodules, type Submodule, submoduleError } from "./submodules.js";

/** How deep nested submodules are followed; deeper ones fail with a clear error rather than recurse without end. */
const MAX_DEPTH = 3;

export interface FetchedSubmodules {
	/** Their files, at their paths in the deployed tree. */
	manifest: ManifestEntry[];
	/** The repository their objects are in (the fetch cache); null when there were none. */
	repository: string | null;
	fetched: Submodule[];
}

export interface SubmoduleFetch {
	homeRoot: string;
	app: string;
	/** The URL the commit came from (a webhook's repository), for relative submodule URLs; null for a push. */
	base: string | null;
	/** The hook's deploy key, for SSH URLs. */
	sshCommand?: string | undefined;
}

/** `repository` and `env`: where the superproject's commit is (a push's quarantine, or the fetch cache). */
export async function fetchSubmodules(tree: CommitTree, repository: string, env: Record<string, string>, how: SubmoduleFetch, depth = 0): Promise<FetchedSubmodules> {
	if (tree.gitlinks.length === 0) return { manifest: [], repository: null, fetched: [] };
	const first = tree.gitlinks[0]!;
	if (depth >= MAX_DEPTH) throw submoduleError(first.path, `is nested ${depth} levels deep`, `Deploys follow submodules ${MAX_DEPTH} levels down; vendor the deeper ones.`);
	const modules = tree.manifest.find((entry) => entry.path === ".gitmodules");
	if (!modules) throw submoduleError(first.path, "is in the commit without a .gitmodules", "Add it with `git submodule add <url> <path>`, commit, and push again.");
	const listing = await (await gitIn(repository, env)).raw(["config", "-z", "--blob", modules.id, "--list"]);
	const manifest: ManifestEntry[] = [];
	const fetched: Submodule[] = [];
	let cache: string | null = null;
	for (const submodule of planSubmodules(tree.gitlinks, parseModules(listing), how.base)) {
		cache = await fetchCommit(how.homeRoot, how.app, submodule.url, submodule.commit, how.sshCommand).catch((error: Error) => {
			throw submoduleError(submodule.path, `could not be fetched from ${submodule.url} at ${submodule.commit.slice(0, 12)} (${error.message.slice(0, 300)})`, "Its URL must be reachable from the server (for a private one, with the hook's deploy key); fix .gitmodules or the access, then push again.");
		});
		const inner = await readCommitTree(cache, {}, submodule.commit);
		const nested = await fetchSubmodules(inner, cache, {}, { ...how, base: submodule.url }, depth + 1);
		for (const entry of [...inner.manifest, ...nested.manifest]) manifest.push({ ...entry, path: `${submodule.path}/${entry.path}` });
		fetched.push(submodule, ...nested.fetched.map((n) => ({ ...n, path: `${submodule.path}/${n.path}` })));
	}
	return { manifest, repository: cache, fetched };
}
