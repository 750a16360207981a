// Issue 17, item 5: `deploy --api URL` with DEPLOY_TOKEN: the same pipeline (only the
// objects the server lacks travel, a redeploy sends its diff, events stream back) over
// the server's HTTPS API instead of SSH. The local store is not involved: a CI job
// has no servers added, and the server is the truth about what runs.
import type { DeployResult } from "../api/types.js";
import type { DeployEvent } from "../protocol/index.js";
import { manifestBaseFile } from "./manifest-base.js";
import { deployWith } from "./pipeline.js";
import type { LoadedProject } from "./project.js";

export async function deployOverApi(api: { url: string; token: string }, project: LoadedProject, emit: (event: DeployEvent) => void, signal: AbortSignal | undefined, wait: boolean): Promise<DeployResult> {
	const url = new URL(api.url);
	const { deployHome } = await import("../paths.js");
	// The base of the next diff, kept per API origin as it is per server.
	const base = manifestBaseFile(deployHome(), `api ${url.origin}`, project.spec.name);
	const open = async () => (await import("../rpc/https-session.js")).openHttpsSession({ url, token: api.token });
	const { record, upload } = await deployWith(open, project, emit, signal, wait, base);
	return { ...record, server: url.host, upload };
}
