// deploy.yaml: the schema, loading with path-named errors, the spec the agent gets,
// and the generated artifacts (JSON Schema, reference). Imported lazily by the CLI.
export { defaultAppName, toAppName } from "./defaults.js";
export { renderConfigReference } from "./docs.js";
export type { ConfigError } from "../protocol/config/issues.js";
export { deployJsonSchema, renderJsonSchema, SCHEMA_ID } from "./json-schema.js";
export { CONFIG_FILE, type LoadOptions, type LoadResult, loadProjectConfig } from "./load.js";
export { type DeployYamlInput, renderDeployYaml } from "./render.js";
export { type ProjectConfig, type ProjectConfigFile, projectConfigSchema } from "../protocol/config/schema.js";
export { toAppSpec } from "../protocol/config/spec.js";
