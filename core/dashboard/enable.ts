// Issue 17, item 4: `deploy servers api enable` with the dashboard: in one session the API
// is turned on (a refused domain changes nothing, not even the build), then the renderer
// build of this install is shipped, so the URL it prints serves the dashboard. `servers
// upgrade` ships a changed build again where the API is on.
import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "../deploy/target.js";
import type { AgentSession } from "../provider.js";
import type { ApiStatus } from "../protocol/api-keys.js";
import { rendererDir } from "../transport/renderer-dir.js";
import { type DashboardShipment, shipDashboard } from "./ship.js";

export type EnabledApi = ApiStatus & { dashboardUpload?: DashboardShipment };

async function withServerSession<T>(context: ApiContext, server: string, options: StreamOptions, work: (session: AgentSession) => Promise<T>): Promise<T> {
	const target = await withStore((store) => resolveTarget(context, store, { server }, options, "read"));
	const session = await target.open();
	try {
		return await work(session);
	} finally {
		await session.close();
	}
}

const shipped = (session: AgentSession, options: StreamOptions) => {
	const dir = rendererDir();
	return dir ? shipDashboard(session, dir, options.onEvent ?? (() => undefined), options.signal) : Promise.resolve(null);
};

export function enableApi(context: ApiContext, input: { server: string; domain: string }, options: StreamOptions = {}): Promise<EnabledApi> {
	return withServerSession(context, input.server, options, async (session) => {
		const signal = options.signal ? { signal: options.signal } : {};
		const status = await session.rpc.call("api.enable", { domain: input.domain }, signal);
		const dashboardUpload = await shipped(session, options);
		if (!dashboardUpload) return status;
		// Where it is served, now that it is there: the agent says (api.status).
		const { dashboard } = await session.rpc.call("api.status", {}, signal);
		return { ...status, dashboard: dashboard ?? null, dashboardUpload };
	});
}

/** After an agent upgrade: the build this client has, where the API is on (nothing travels when it is the same). */
export function refreshDashboard(context: ApiContext, server: string, options: StreamOptions = {}): Promise<DashboardShipment | null> {
	return withServerSession(context, server, options, async (session) => {
		const status = await session.rpc.call("api.status", {});
		return status.enabled ? shipped(session, options) : null;
	});
}
