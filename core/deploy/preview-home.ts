import { join } from "node:path";
import { deployHome } from "../paths.js";

/** The agent home of `deploy preview` on this machine (the "server" named `local`). */
export function previewHome(): string {
	return join(deployHome(), "preview");
}
