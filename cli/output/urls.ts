import type { DeploymentUrl } from "../../core/protocol/index.js";
import type { Colors } from "./colors.js";

/**
 * Issue 14: every URL of a deployment with its state, in the agent's order (the one that
 * works first, agents/deploy/urls.ts). A line each: a mark, the URL, what holds it back.
 */
export function urlLines(urls: readonly DeploymentUrl[], color: Pick<Colors, "green" | "yellow" | "red" | "dim">): string[] {
	return urls.map((u) => {
		const { mark, text } = urlState(u, color);
		return `  ${mark} ${u.url}  ${color.dim(text)}`;
	});
}

function urlState(u: DeploymentUrl, color: Pick<Colors, "green" | "yellow" | "red">): { mark: string; text: string } {
	const ok = color.green("✔");
	const wait = color.yellow("…");
	const certificate = {
		valid: "HTTPS, certificate valid",
		pending: "certificate pending: HTTP serves it until the CA issues one",
		failed: "certificate refused by the CA (`deploy domains ls` says why): HTTP serves it meanwhile",
		expired: "certificate expired: HTTP serves it until the proxy renews it",
		none: "plain HTTP",
	}[u.certificate];
	if (u.kind === "preview-domain") {
		const parent = u.host.slice(u.host.indexOf(".") + 1);
		if (u.certificate === "valid") return { mark: ok, text: `works: ${certificate}` };
		return { mark: wait, text: `needs a wildcard DNS record *.${parent} pointing at the server; ${certificate}` };
	}
	if (u.kind === "generated") {
		if (u.certificate === "none" || u.certificate === "valid") return { mark: ok, text: `works: sslip.io points it at the server, no DNS setup; ${certificate}` };
		return { mark: u.certificate === "failed" ? color.red("✗") : wait, text: certificate };
	}
	if (u.certificate === "valid") return { mark: ok, text: `works: ${certificate}` };
	if (u.certificate === "none") return { mark: ok, text: `${certificate}, once DNS points ${u.host} at the server` };
	return { mark: u.certificate === "failed" ? color.red("✗") : wait, text: `${certificate}, once DNS points ${u.host} at the server` };
}
