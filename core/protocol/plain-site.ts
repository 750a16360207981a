/**
 * Issue 14: a folder of plain files (no package.json) whose home page is here is a
 * static site as it is. One rule for the client (which then lets `deploy` run without
 * a deploy.yaml) and the agent (which serves it).
 */
export const PLAIN_SITE_PAGES = ["index.html", "public/index.html"];

/** The folder a project without package.json serves as files: "." or "public"; null without an index.html. Pure. */
export function plainSiteDir(files: readonly string[]): string | null {
	const page = PLAIN_SITE_PAGES.find((name) => files.includes(name));
	if (page === undefined) return null;
	const slash = page.lastIndexOf("/");
	return slash === -1 ? "." : page.slice(0, slash);
}
