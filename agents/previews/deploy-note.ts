import { readdir } from "node:fs/promises";
import { previewHost } from "../../core/protocol/hosts.js";
import { type AppSpec, DeployError, type DeploymentRecord } from "../../core/protocol/index.js";
import type { HasHome } from "../context/parts.js";
import { readAddedDomains } from "../domains/store.js";
import { appPaths } from "../home.js";
import { previewInfoOf, readPreviewFile, writePreviewFile } from "./marker.js";

/**
 * Wraps one deploy, under the app's lock: a preview's note is (re)written first, so
 * its time-to-live counts from this deploy and even a failed first deploy is swept
 * in time; the answer says which preview it is. A preview never takes over a
 * production app's name, nor a production deploy a preview's.
 */
export async function deployWithPreviewNote(agent: HasHome, spec: AppSpec, run: (spec: AppSpec) => Promise<DeploymentRecord>): Promise<DeploymentRecord> {
	const existing = await readPreviewFile(agent.home, spec.name);
	if (!spec.preview) {
		if (existing) {
			throw new DeployError(
				"APP_IS_PREVIEW",
				`${spec.name} is the preview of ${existing.of} for branch ${existing.branch} on this server; a production app cannot take its name.`,
				`Remove the preview first (\`deploy rm <deployment>\`, ids in \`deploy ls\`), or give the app another name.`,
			);
		}
		return run(spec);
	}
	if (!existing && (await hasDeployments(agent, spec.name))) {
		throw new DeployError(
			"PREVIEW_NAME_TAKEN",
			`The preview of ${spec.preview.of} for branch ${spec.preview.branch} would be named ${spec.name}, but a production app of that name runs on this server.`,
			"Deploy from a branch with another name, or rename one of the apps.",
		);
	}
	if (existing && (existing.of !== spec.preview.of || existing.branch !== spec.preview.branch)) {
		// Two previews whose names come out alike (`x` of foo-bar, `x-foo` of bar; feature/x and feature-x) would replace each other.
		throw new DeployError(
			"PREVIEW_NAME_TAKEN",
			`The preview of ${spec.preview.of} for branch ${spec.preview.branch} would be named ${spec.name}, but that is already the preview of ${existing.of} for branch ${existing.branch} on this server.`,
			"Deploy from a branch with another name, or remove the other preview first (`deploy rm <deployment>`, ids in `deploy ls`).",
		);
	}
	const note = await writePreviewFile(agent.home, spec.name, spec.preview);
	const record = await run(spec.domains.length > 0 ? spec : { ...spec, domains: await addedDomainPreviewHosts(agent, spec.name, spec.preview.of) });
	return { ...record, preview: previewInfoOf(note) };
}

/**
 * The client names the preview's host from deploy.yaml's first domain; when deploy.yaml
 * has none, the production app's first domain added with `deploy domains add` (known
 * only here) gives it: `<preview>.<domain>`. Without any, the generated sslip.io host.
 */
async function addedDomainPreviewHosts(agent: HasHome, preview: string, of: string): Promise<string[]> {
	const [first] = await readAddedDomains(agent.home, of).catch(() => []);
	const host = previewHost(preview, first?.name);
	return host ? [host] : [];
}

async function hasDeployments(agent: HasHome, app: string): Promise<boolean> {
	const names = await readdir(appPaths(agent.home, app).deployments).catch(() => [] as string[]);
	return names.some((name) => name.endsWith(".json"));
}
