import type { AppSpec, ProcessSpec } from "../protocol/spec.js";
import type { ProjectConfig } from "./schema.js";

// Issue 7: deploy.yaml's auto-scaling and resource limits. `processScalingConfig` is
// spread into each process's schema, `appScalingConfig` into the app's
// (core/config/schema.ts); the *Spec functions into toAppSpec.

export const processScalingConfig = {};
export const appScalingConfig = {};

export function processScalingSpec(_process: ProjectConfig["processes"][string]): Partial<ProcessSpec> {
	return {};
}

export function appScalingSpec(_config: ProjectConfig): Partial<AppSpec> {
	return {};
}
