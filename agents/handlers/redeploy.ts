// Issue 18: `deploy redeploy`, the live release's source again as a new deployment.
import { DeployError } from "../../core/protocol/index.js";
import { readRecords } from "../deploy/records.js";
import { readReleaseManifest } from "../deploy/release-manifest.js";
import { readReleaseSpec } from "../deploy/release-spec.js";
import type { Handler } from "./call.js";
import { deployResolved } from "./deploy.js";

export const redeploy: Handler<"redeploy"> = async ({ app, wait }, call) => {
	const { agent } = call;
	const live = agent.supervisor.live(app);
	if (!live) throw new DeployError("NOTHING_LIVE", `${app} has no live release on this server to deploy again.`, "Deploy it first: `deploy` in its folder, or `git push deploy <branch>`.");
	const release = await readReleaseSpec(agent.home, app, live);
	const manifest = await readReleaseManifest(agent, app, live);
	if (!release || !manifest) throw new DeployError("RELEASE_INCOMPLETE", `The live release ${live} of ${app} was kept without its spec or file list (an older agent made it).`, "Deploy it once more from its source (`deploy` or a push); later redeploys work from that.");
	const record = (await readRecords(agent.home, app)).find((r) => r.id === live);
	// The kept manifest names every object of the live release, so no collection removes them; the lease holds them for the new release too.
	const lease = agent.store.leases.open();
	lease.add(manifest.map((e) => e.id));
	try {
		return await deployResolved(
			{
				app: release.spec,
				manifest: () => Promise.resolve(manifest),
				commit: record?.commit ?? null,
				...(record?.branch ? { branch: record.branch } : {}),
				...(record?.message ? { message: record.message } : {}),
				...(record?.source ? { source: record.source } : {}),
				wait,
				force: true,
			},
			call,
		);
	} finally {
		lease.release();
	}
};
