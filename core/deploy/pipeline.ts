import type { UploadStats } from "../api/types.js";
import type { AgentSession } from "../provider.js";
import type { DeployEvent, DeploymentRecord } from "../protocol/index.js";
import type { LoadedProject } from "./project.js";
import { type UploadSource, uploadMissingObjects } from "./upload.js";

export interface SourceSnapshot extends UploadSource {
	commit: string | null;
}

/**
 * The client's half of a deployment, the same for a server and for the preview:
 * snapshot the working tree while the connection opens, send what the agent lacks,
 * ask it to deploy and relay its events. The agent does the rest and is the source
 * of truth for what runs.
 */
export async function deployWith(
	openSession: () => Promise<AgentSession>,
	project: LoadedProject,
	emit: (event: DeployEvent) => void,
	signal?: AbortSignal,
	/** When another deploy of the app runs: wait for it (the agent says so with a `lock` step), or fail with DEPLOY_IN_PROGRESS. */
	wait = true,
): Promise<{ record: DeploymentRecord; upload: UploadStats }> {
	const { snapshotSource } = await import("../source/index.js");
	const [snapshot, session] = await Promise.allSettled([snapshotSource(project.dir), openSession()]);
	if (session.status === "rejected") throw session.reason;
	try {
		if (snapshot.status === "rejected") throw snapshot.reason;
		const source: SourceSnapshot = snapshot.value;
		const sent = await uploadMissingObjects(session.value, source, emit);
		const record = await session.value.rpc.call(
			"deploy",
			{ app: project.spec, manifest: source.manifest, commit: source.commit, wait },
			{ onEvent: emit, ...(signal ? { signal } : {}) },
		);
		return { record, upload: { files: source.manifest.length, ...sent, bytesSent: session.value.bytesSent() } };
	} finally {
		await session.value.close();
	}
}
