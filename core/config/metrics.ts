import type { AppSpec } from "../protocol/spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 7: deploy.yaml's alert thresholds (and metrics settings). `metricsConfig` is
// spread into the one schema (core/config/schema.ts); `metricsSpec` into toAppSpec.

export const metricsConfig = {};

export function metricsSpec(_config: ProjectConfig): Partial<AppSpec> {
	return {};
}
