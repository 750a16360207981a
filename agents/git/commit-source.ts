// Issue 18: what a pushed or fetched commit deploys: its tree less what its .deployignore
// leaves out (as an upload of the same tree would), with the spec its own deploy.yaml
// gives (commit-spec.ts). Both files are read from the commit, never from a working tree.
import { combinedDeployIgnore, DEPLOY_IGNORE_FILE } from "../../core/protocol/deploy-ignore.js";
import { CONFIG_FILE } from "../../core/protocol/config/parse.js";
import type { AppSpec, ManifestEntry } from "../../core/protocol/spec.js";
import type { CommitTree } from "./commit-tree.js";
import { type CommitSpec, commitSpec } from "./commit-spec.js";

export interface CommitSource extends CommitSpec {
	manifest: ManifestEntry[];
	/** How many files .deployignore left out. */
	ignored: number;
}

/** `readBlob` reads one of the commit's files by blob id (git cat-file, with the push's quarantine in view). */
export async function commitSource(tree: CommitTree, kept: AppSpec, commit: string, readBlob: (id: string) => Promise<string>): Promise<CommitSource> {
	const idOf = (path: string) => tree.manifest.find((entry) => entry.path === path)?.id;
	const textOf = async (path: string) => {
		const id = idOf(path);
		return id ? readBlob(id) : null;
	};
	// A workspace package's deploy.yaml may sit in its folder (`deploy git-remote` run there) or at the top with `root:`.
	const configPath = kept.root && idOf(`${kept.root}/${CONFIG_FILE}`) ? `${kept.root}/${CONFIG_FILE}` : CONFIG_FILE;
	const [config, rootRules, packageRules] = await Promise.all([textOf(configPath), textOf(DEPLOY_IGNORE_FILE), kept.root ? textOf(`${kept.root}/${DEPLOY_IGNORE_FILE}`) : null]);
	const resolved = commitSpec(kept, config, commit);
	const ignores = combinedDeployIgnore(rootRules, kept.root, packageRules);
	const manifest = tree.manifest.filter((entry) => !ignores(entry.path));
	return { ...resolved, manifest, ignored: tree.manifest.length - manifest.length };
}
