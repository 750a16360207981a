/**
 * Issue 17, item 4: the dashboard served by a server's HTTPS API. The agent marks the
 * page it serves (agents/dashboard/serve.ts); `deploy ui` and Electron never do.
 */
export function servedByServer(): boolean {
	return document.querySelector('meta[name="deploy-mode"]')?.getAttribute("content") === "server";
}

/** The one server of this page: the host that served it, named as its apps' "server". */
export function thisServer(): string {
	return window.location.hostname;
}
