/**
 * Issue 17, item 4: the dashboard served by a server's HTTPS API. The agent marks the
 * page it serves (agents/dashboard/serve.ts); `deploy ui` and Electron never do.
 * Read through globalThis: the call map that uses it is tested in Node, which has no DOM.
 */
const page = globalThis as {
	document?: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
	location?: { hostname: string };
};

export function servedByServer(): boolean {
	return page.document?.querySelector('meta[name="deploy-mode"]')?.getAttribute("content") === "server";
}

/** The one server of this page: the host that served it, named as its apps' "server". */
export function thisServer(): string {
	return page.location?.hostname ?? "";
}
