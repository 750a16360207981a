import { previewHost } from "./hosts.js";
import { previewAppName } from "./preview-name.js";
import type { AppSpec } from "./spec.js";

/**
 * The preview's spec: the app's, under the preview's own name (its instances, route,
 * logs and releases are its own), answering at `<name>.<the app's first domain>`, or
 * at its generated `<name>.<address>.sslip.io` name when the app has no domain.
 * Env: the app's; the marker says `environment: "preview"`, the seam where `deploy env`
 * puts the preview environment's variables in. In core/protocol since issue 18: the
 * agent makes the same preview of a pushed branch as the client of a deployed one.
 */
export function previewSpec(app: AppSpec, branch: string, ttl: number): AppSpec {
	const name = previewAppName(branch, app.name);
	// Domains added with `deploy domains add` are known only to the agent: it names the host from them (agents/previews/deploy-note.ts).
	const host = previewHost(name, app.domains[0]);
	return {
		...app,
		name,
		domains: host ? [host] : [],
		preview: { of: app.name, branch, ttlSeconds: ttl, environment: "preview" },
	};
}
