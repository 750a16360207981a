// Issue 18: a pushed or fetched commit made ready to deploy: its tree and submodules read,
// its own deploy.yaml and .deployignore applied (commit-source.ts), the spec of production
// or of the branch's preview, and the blobs the object store lacks copied into it under
// the deploy's lease. What is left is the deploy itself (agents/handlers/git.ts).
import { previewSpec } from "../../core/protocol/preview-spec.js";
import type { AppSpec, ManifestEntry } from "../../core/protocol/spec.js";
import type { Lease } from "../objects/leases.js";
import type { ObjectStore } from "../objects/store.js";
import { commitSource } from "./commit-source.js";
import { readBlobText, readCommitTree } from "./commit-tree.js";
import { fetchSubmodules } from "./fetch-submodules.js";
import { importObjects } from "./import-objects.js";
import type { PushAction } from "./push-plan.js";

/** Where a commit is and what was recorded for its app. */
export interface CommitOrigin {
	repository: string;
	/** git's environment to see the commit (a push's quarantine); {} when its objects are in `repository`. */
	env: Record<string, string>;
	/** The spec `deploy git-remote` or `deploy hooks add` recorded: the app's name, team and workspace folder stay its. */
	kept: AppSpec;
	/** The recorded previews' time to live, when the commit's deploy.yaml names none. */
	previewTtlSeconds: number;
	/** The repository URL the commit came from (a webhook's), which relative submodule URLs are resolved against. */
	origin?: string;
	/** The hook's deploy key, for submodules' SSH URLs. */
	sshCommand?: string | undefined;
}

export interface PreparedCommit {
	spec: AppSpec;
	manifest: ManifestEntry[];
	subject: string | undefined;
	/** What the push's output says about it: files, submodules, warnings. */
	lines: { line: string; stream: "stdout" | "stderr" }[];
}

export interface CommitParts {
	homeRoot: string;
	store: ObjectStore;
	maxObjectBytes: number;
}

export async function prepareCommit(parts: CommitParts, lease: Lease, action: Extract<PushAction, { kind: "deploy" }>, origin: CommitOrigin): Promise<PreparedCommit> {
	const lines: PreparedCommit["lines"] = [];
	const say = (line: string, stream: "stdout" | "stderr" = "stdout") => lines.push({ line, stream });
	const pushed = await readCommitTree(origin.repository, origin.env, action.commit);
	const modules = await fetchSubmodules(pushed, origin.repository, origin.env, { homeRoot: parts.homeRoot, app: origin.kept.name, base: origin.origin ?? null, sshCommand: origin.sshCommand });
	for (const m of modules.fetched) say(`submodule ${m.path}: ${m.url} at ${m.commit.slice(0, 12)}`);
	const tree = { ...pushed, manifest: [...pushed.manifest, ...modules.manifest] };
	// The commit's own deploy.yaml and .deployignore (an invalid deploy.yaml fails here, before anything is copied or built).
	const resolved = await commitSource(tree, origin.kept, action.commit, (id) => readBlobText(origin.repository, origin.env, id));
	const spec = action.production ? resolved.spec : previewSpec(resolved.spec, action.branch, resolved.previewTtlSeconds ?? origin.previewTtlSeconds);
	// A submodule's files are in the fetch cache, the commit's own where the push (or fetch) put them.
	const fromModules = new Set(modules.manifest.map((e) => e.path));
	const ids = (inModules: boolean) => resolved.manifest.filter((e) => fromModules.has(e.path) === inModules).map((e) => e.id);
	let copied = await importObjects(parts.store, lease, origin.repository, origin.env, ids(false), parts.maxObjectBytes);
	if (modules.repository) copied += await importObjects(parts.store, lease, modules.repository, {}, ids(true), parts.maxObjectBytes);
	const ignored = resolved.ignored ? `, ${resolved.ignored} left out by .deployignore` : "";
	say(`${action.production ? "production" : `preview of branch ${action.branch}`}: ${spec.name}, commit ${action.commit.slice(0, 12)}, ${resolved.manifest.length} files (${copied} new to the server${ignored})`);
	for (const warning of resolved.warnings) say(`warning: ${warning}`, "stderr");
	return { spec, manifest: resolved.manifest, subject: tree.subject, lines };
}
