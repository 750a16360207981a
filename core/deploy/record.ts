import type { DeployResult } from "../api/types.js";
import type { LoadedProject } from "./project.js";

type Store = Awaited<ReturnType<typeof import("../store/index.js").openStore>>;

/** Keeps the local cache of history: the desktop works offline from it. */
export async function recordDeployment(store: Store, project: LoadedProject, result: DeployResult): Promise<void> {
	// Issue 6: a preview is not a project of its own: the folder stays the app it previews.
	await store.projects.upsert({ name: result.preview?.of ?? result.app, dir: project.dir, server: result.server });
	await store.deployments.record({
		...result,
		server: result.server,
		bytesUploaded: result.upload.bytesSent,
		objectsUploaded: result.upload.objectsSent,
	});
}

/**
 * Remembers the folder as an app on `server` after a deploy that reached the server but
 * failed: the UI lists it with the failure. A preview is remembered as the app it previews.
 */
export async function rememberProject(store: Store, project: LoadedProject, server: string): Promise<void> {
	await store.projects.upsert({ name: project.spec.preview?.of ?? project.spec.name, dir: project.dir, server });
}
