// Issue 17, item 4: puts the dashboard's build on a server: the objects its store lacks
// (the deploy's content-addressed upload), then `api.dashboard`, which writes the build
// in place unless it serves that very one already. A second run sends no file.
import type { AgentSession } from "../provider.js";
import type { DeployEvent } from "../protocol/events.js";
import { uploadMissingObjects } from "../deploy/upload.js";
import { readDashboardBuild } from "./build-files.js";

export interface DashboardShipment {
	/** Files of the build, and how many of them the server lacked. */
	files: number;
	objectsSent: number;
	/** Every byte this step wrote towards the server (the question, the objects, the call). */
	bytesSent: number;
	/** False when the server served this build already. */
	installed: boolean;
	version: string;
}

export async function shipDashboard(session: AgentSession, dir: string, emit: (event: DeployEvent) => void, signal?: AbortSignal): Promise<DashboardShipment> {
	const before = session.bytesSent();
	const build = await readDashboardBuild(dir);
	const { objectsSent } = await uploadMissingObjects(session, build.source, emit);
	const { version, installed } = await session.rpc.call("api.dashboard", { files: build.files }, signal ? { signal } : {});
	return { files: build.files.length, objectsSent, bytesSent: session.bytesSent() - before, installed, version };
}
