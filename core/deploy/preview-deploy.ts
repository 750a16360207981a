import type { DeployInput } from "../api/types.js";
import { DeployError, type DeployEvent } from "../protocol/index.js";
import { DEFAULT_PREVIEW_TTL, ttlSeconds } from "../protocol/previews.js";
import { previewSpec } from "../protocol/preview-spec.js";
import { DEFAULT_PRODUCTION_BRANCHES } from "../protocol/git.js";
import type { LoadedProject } from "./project.js";

export { previewSpec };


/** The branch label of a `--preview` outside git or on a detached HEAD. */
const BRANCHLESS_LABEL = "preview";

/**
 * Decides whether this deploy is a preview and returns the project to deploy: the
 * production app unchanged, or its preview app. A preview is a deploy with --preview,
 * or from a git branch other than the production one; outside git and without
 * --preview everything goes to production, as before previews existed.
 */
export async function previewOrProduction(project: LoadedProject, input: Pick<DeployInput, "preview" | "ttl">, emit: (event: DeployEvent) => void): Promise<LoadedProject> {
	// input.ttl passed the contract's ttlDuration: a bad --ttl was refused before anything was read or sent.
	const settings = await previewSettings(project.dir);
	const { currentBranch } = await import("../source/branch.js");
	const branch = await currentBranch(project.dir);
	const production = settings.productionBranch ? [settings.productionBranch] : DEFAULT_PRODUCTION_BRANCHES;
	const isPreview = input.preview === true || (branch !== null && !production.includes(branch));
	if (!isPreview) {
		if (input.ttl) throw new DeployError("BAD_ARGUMENT", `--ttl applies to previews, and this deploy goes to production (branch ${branch ?? "none"}).`, "Add --preview to deploy a preview.");
		return project;
	}
	const spec = previewSpec(project.spec, branch ?? BRANCHLESS_LABEL, ttlSeconds(input.ttl ?? settings.ttl));
	emit({ type: "log", stream: "stdout", line: `preview of ${project.spec.name} for ${branch ? `branch ${branch}` : "no branch"}: app ${spec.name}, removed ${input.ttl ?? settings.ttl} after its latest deploy` });
	return { ...project, spec };
}

async function previewSettings(dir: string): Promise<{ productionBranch?: string | undefined; ttl: string }> {
	const { loadProjectConfig } = await import("../config/index.js");
	// Validated already by loadProject: read again only for the previews key.
	const loaded = await loadProjectConfig(dir);
	return (loaded.ok ? loaded.config.previews : undefined) ?? { ttl: DEFAULT_PREVIEW_TTL };
}
