// The renderer build is served from app://renderer/, not file://: a real origin for
// the CSP and the navigation lock, and files outside the build folder unreachable.
import { relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { net, protocol } from "electron";
import { CONTENT_SECURITY_POLICY } from "../core/transport/http-security.js";
import { originOf } from "./origin.js";

export const APP_ORIGIN = "app://renderer";

/** Must run before the app is ready. */
export function registerAppScheme(): void {
	protocol.registerSchemesAsPrivileged([{ scheme: "app", privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

export function serveRenderer(root: string): void {
	protocol.handle("app", async (request) => {
		const url = new URL(request.url);
		const path = decodeURIComponent(url.pathname);
		const file = resolve(root, `.${path === "/" ? "/index.html" : path}`);
		const inside = relative(root, file);
		if (originOf(request.url) !== APP_ORIGIN || inside.startsWith(`..${sep}`) || inside === "..") return new Response("Not found", { status: 404 });
		const response = await net.fetch(pathToFileURL(file).toString());
		const headers = new Headers(response.headers);
		headers.set("content-security-policy", CONTENT_SECURITY_POLICY);
		headers.set("x-content-type-options", "nosniff");
		return new Response(response.body, { status: response.status, headers });
	});
}
