import type { Agent } from "../daemon/agent.js";
import type { AppRoute } from "./driver.js";

/**
 * Issue 6: which of a route's hosts are served over HTTPS with a certificate from
 * the server's ACME CA (HTTP to them redirects to HTTPS). None yet.
 */
export function routeTls(_agent: Agent, _hosts: readonly string[]): Pick<AppRoute, "tlsHosts"> {
	return {};
}
