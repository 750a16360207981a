import type { AppSpec } from "../../core/protocol/index.js";
import { DEFAULT_HSTS } from "../../core/protocol/routing.js";
import type { AppRoute } from "./driver.js";

/**
 * Issue 6: deploy.yaml's redirects, rewrites, headers and HSTS as the route carries
 * them. HSTS is on unless deploy.yaml turned it off; drivers send it only over HTTPS.
 */
export function routeRulesFor(spec: AppSpec): Pick<AppRoute, "rules"> {
	const rules = spec.rules;
	return {
		rules: {
			hostRedirects: rules?.hostRedirects ?? [],
			redirects: rules?.redirects ?? [],
			rewrites: rules?.rewrites ?? [],
			headers: rules?.headers ?? [],
			hsts: rules?.hsts ?? { ...DEFAULT_HSTS },
		},
	};
}
