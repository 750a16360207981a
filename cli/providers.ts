import type { Providers } from "../core/provider.js";

/** The CLI hands core its backends; each loads only when a command needs it. */
export const providers: Providers = {
	ssh: () => import("../providers/ssh/index.js"),
	local: () => import("../providers/local/index.js"),
};
