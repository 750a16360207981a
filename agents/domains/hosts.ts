import type { AppSpec } from "../../core/protocol/index.js";
import type { Agent } from "../daemon/agent.js";

/**
 * Issue 6: every host an app answers on: its generated default host, then its
 * domains. The one place the route and the URL get an app's hosts from.
 */
export async function appHosts(agent: Agent, spec: Pick<AppSpec, "name" | "domains">): Promise<string[]> {
	return [agent.requireDriver().defaultHost(spec.name), ...spec.domains];
}
