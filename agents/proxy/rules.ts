import type { AppSpec } from "../../core/protocol/index.js";
import type { AppRoute } from "./driver.js";

/** Issue 6: deploy.yaml's redirects, rewrites and headers as the route carries them. None yet. */
export function routeRulesFor(_spec: AppSpec): Pick<AppRoute, "rules"> {
	return {};
}
