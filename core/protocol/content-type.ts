// The one MIME table of the two static file servers (the agent's, for a static site,
// and `deploy ui`'s, for the renderer): mrmime's, here because the agent imports only
// core/protocol. Text is served as UTF-8, as every build tool writes it.
import { lookup } from "mrmime";

/** What mrmime leaves out and browsers still ask for. */
const MISSING: Record<string, string> = { ico: "image/x-icon" };

/** The content-type header of a file, by its name; application/octet-stream when unknown. */
export function contentTypeOf(path: string): string {
	const type = lookup(path) ?? MISSING[extensionOf(path)] ?? "application/octet-stream";
	return /^text\/|^application\/(.+\+)?json$/.test(type) ? `${type}; charset=utf-8` : type;
}

function extensionOf(path: string): string {
	const name = path.slice(path.lastIndexOf("/") + 1);
	const dot = name.lastIndexOf(".");
	return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
}
