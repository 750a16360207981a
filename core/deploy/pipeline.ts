import { join } from "node:path";
import type { UploadStats } from "../api/types.js";
import type { AgentSession } from "../provider.js";
import type { DeployEvent, DeploymentRecord } from "../protocol/index.js";
import type { ManifestBase } from "./manifest-base.js";
import type { LoadedProject } from "./project.js";
import { deployAsDiff } from "./diff-deploy.js";
import { withFileLimitHint } from "./file-limit.js";
import { type UploadSource, uploadMissingObjects } from "./upload.js";

export interface SourceSnapshot extends UploadSource {
	commit: string | null;
	branch: string | null;
	message: string | null;
	/** How many files, and whether one is among them, without the manifest (core/source/snapshot.ts builds it when first asked for). */
	files: number;
	hasFile(path: string): boolean;
}

/**
 * The client's half of a deployment, the same for a server and for the preview:
 * snapshot the working tree while the connection opens, send what the agent lacks,
 * ask it to deploy and relay its events. The agent does the rest and is the source
 * of truth for what runs. With a `base` (the manifest last deployed there), only the
 * changes travel: the diff, and the changed files the agent lacks.
 */
export async function deployWith(
	openSession: () => Promise<AgentSession>,
	project: LoadedProject,
	emit: (event: DeployEvent) => void,
	signal?: AbortSignal,
	/** When another deploy of the app runs: wait for it (the agent says so with a `lock` step), or fail with DEPLOY_IN_PROGRESS. */
	wait = true,
	base?: ManifestBase,
): Promise<{ record: DeploymentRecord; upload: UploadStats }> {
	// A workspace's root that cannot run says which packages it has before anything connects (issue 14).
	if (project.workspace && !project.spec.root) await (await import("../workspace/root-start.js")).checkWorkspaceRootRuns(project.workspace, project.spec);
	// The connection first: its network round trips overlap with loading and running the snapshot.
	const opening = openSession();
	opening.catch(() => undefined);
	const [{ snapshotSource }, { deployHome }] = await Promise.all([import("../source/index.js"), import("../paths.js")]);
	const statCacheDir = join(deployHome(), "stat-cache");
	const [snapshot, session, known] = await Promise.allSettled([snapshotSource(project.sourceDir, { statCacheDir, packageDir: project.spec.root }), opening, base?.read() ?? Promise.resolve(null)]);
	if (session.status === "rejected") throw session.reason;
	try {
		if (snapshot.status === "rejected") throw snapshot.reason;
		const source: SourceSnapshot = snapshot.value;
		const exposed = (await import("./plain-site-warning.js")).plainSiteWarning(project.spec, { has: (path) => source.hasFile(path), manifest: () => source.manifest });
		if (exposed) emit({ type: "log", stream: "stderr", line: `warning: ${exposed}` });
		const rpc = session.value.rpc;
		const common = { app: project.spec, commit: source.commit, ...(source.branch ? { branch: source.branch } : {}), ...(source.message ? { message: source.message } : {}), wait };
		const callOptions = { onEvent: emit, ...(signal ? { signal } : {}) };
		let sent = { objectsSent: 0, objectBytes: 0 };
		let record: DeploymentRecord | null = null;
		const previous = known.status === "fulfilled" ? known.value : null;
		const { appSpecHash } = await import("../protocol/spec-hash.js");
		const specHash = appSpecHash(project.spec);
		// A redeploy sends what changed (core/deploy/diff-deploy.ts); a null record means the agent lacked the base: send everything.
		if (previous && base) ({ record, sent } = await deployAsDiff(session.value, source, previous, base, { ...common, specHash }, emit, callOptions));
		if (!record) {
			const full = await uploadMissingObjects(session.value, source, emit);
			sent = { objectsSent: sent.objectsSent + full.objectsSent, objectBytes: sent.objectBytes + full.objectBytes };
			record = await rpc.call("deploy", { ...common, manifest: source.manifest }, callOptions);
		}
		// An unchanged deploy answers with the release the base already names: nothing to rewrite (unless an older client wrote it without its hash).
		const baseCurrent = record.unchanged === true && previous?.id === record.id && previous.specHash === specHash && previous.hash !== null;
		if (base && record.status === "live" && !baseCurrent) await base.write(record.id, source.manifest, { specHash, readObject: source.readObject, sizeOf: source.sizeOf }).catch(() => undefined);
		return { record, upload: { files: source.files, ...sent, bytesSent: session.value.bytesSent() } };
	} catch (error) {
		// A tree over the server's file limit: the agent names the count and the limit, the client says where the files are.
		if (snapshot.status === "rejected") throw error;
		throw withFileLimitHint(
			error,
			snapshot.value.manifest.map((e) => e.path),
			snapshot.value.commit !== null,
		);
	} finally {
		await session.value.close();
	}
}
