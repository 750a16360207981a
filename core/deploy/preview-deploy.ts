import type { DeployInput } from "../api/types.js";
import { previewHost } from "../protocol/hosts.js";
import { type AppSpec, DeployError, type DeployEvent } from "../protocol/index.js";
import { DEFAULT_PREVIEW_TTL, ttlSeconds } from "../protocol/previews.js";
import { previewAppName } from "./preview-name.js";
import type { LoadedProject } from "./project.js";

/** Production branches when deploy.yaml's previews.productionBranch does not name one. */
const DEFAULT_PRODUCTION_BRANCHES = ["main", "master"];

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

/**
 * The preview's spec: the app's, under the preview's own name (its instances, route,
 * logs and releases are its own), answering at `<name>.<the app's first domain>`, or
 * at its generated `<name>.<address>.sslip.io` name when the app has no domain.
 * Env: the app's; the marker says `environment: "preview"`, the seam where `deploy env`
 * puts the preview environment's variables in.
 */
export function previewSpec(app: AppSpec, branch: string, ttl: number): AppSpec {
	const name = previewAppName(branch, app.name);
	// Domains added with `deploy domains add` are known only to the agent: it names the host from them (agents/previews/deploy-note.ts).
	const host = previewHost(name, app.domains[0]);
	return {
		...app,
		name,
		domains: host ? [host] : [],
		preview: { of: app.name, branch, ttlSeconds: ttl, environment: "preview" },
	};
}

async function previewSettings(dir: string): Promise<{ productionBranch?: string | undefined; ttl: string }> {
	const { loadProjectConfig } = await import("../config/index.js");
	// Validated already by loadProject: read again only for the previews key.
	const loaded = await loadProjectConfig(dir);
	return (loaded.ok ? loaded.config.previews : undefined) ?? { ttl: DEFAULT_PREVIEW_TTL };
}
