import type { AppSpec } from "../protocol/spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 6: deploy.yaml's redirects, rewrites, headers and HSTS. `routingConfig` is
// spread into the one schema (core/config/schema.ts); `routingSpec` into toAppSpec.

export const routingConfig = {};

export function routingSpec(_config: ProjectConfig): Partial<AppSpec> {
	return {};
}
