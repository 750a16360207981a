/** The CLI's version, set by the build (scripts/build.mjs) from package.json. */
export const version = process.env.DEPLOY_CLI_VERSION ?? "0.0.0-dev";
