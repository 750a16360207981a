import type { HasHome, HasProxy, HasSupervisor } from "../context/parts.js";
import { readReleaseSpec } from "./release-spec.js";
import { type SiteRoot, siteRoot } from "./switch.js";

/**
 * The app's live release when it is a static site the proxy serves itself: no process
 * of ours runs for it (its web plan has no instances), so `ps`, `logs` and `scale`
 * speak of the proxy instead (issue 14). Null for any other app, and for a static
 * site our own file server runs (a proxy that serves no files: Traefik, builtin).
 */
export async function servedSite(agent: HasHome & HasProxy & HasSupervisor, app: string): Promise<{ deploymentId: string; site: NonNullable<SiteRoot> } | null> {
	const live = agent.supervisor.live(app);
	if (!live || !agent.driver?.servesFiles) return null;
	const release = await readReleaseSpec(agent.home, app, live).catch(() => null);
	const site = release ? siteRoot(agent, app, live, release.static) : null;
	return site ? { deploymentId: live, site } : null;
}
