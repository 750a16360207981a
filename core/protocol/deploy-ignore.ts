// `.deployignore`: what never goes to the server, in gitignore syntax. One matcher for the
// client's upload (core/source/deploy-ignore.ts reads the working tree's file) and the
// agent's push and webhook deploys (agents/git/commit-source.ts reads the commit's), so a
// pushed commit leaves out exactly what an upload of the same tree would (issue 18).
import ignore from "ignore";

export const DEPLOY_IGNORE_FILE = ".deployignore";

/** Whether a path relative to the rules' folder is left out; no rules (null): nothing is. */
export function deployIgnoreMatcher(rules: string | null): (path: string) => boolean {
	if (rules === null) return () => false;
	const matcher = ignore().add(rules);
	return (path) => matcher.ignores(path);
}

/**
 * The root's rules for every path, and with `packageDir` (a workspace's package) that
 * folder's own rules for the paths under it, relative to it (issue 14).
 */
export function combinedDeployIgnore(rootRules: string | null, packageDir?: string, packageRules: string | null = null): (path: string) => boolean {
	const own = deployIgnoreMatcher(rootRules);
	if (!packageDir) return own;
	const prefix = `${packageDir}/`;
	const inPackage = deployIgnoreMatcher(packageRules);
	return (path) => own(path) || (path.startsWith(prefix) && inPackage(path.slice(prefix.length)));
}
