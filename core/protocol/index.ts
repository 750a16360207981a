// The wire types shared with the agent: the only part of core the agent imports.
export * from "./deployment.js";
export * from "./errors.js";
export * from "./error-info.js";
export * from "./events.js";
export * from "./frames.js";
export * from "./health.js";
export * from "./methods.js";
export * from "./names.js";
export * from "./object-batch.js";
export * from "./rpc.js";
export * from "./spec.js";
export * from "./upload.js";
