import type { Providers } from "../core/provider.js";

/** The desktop hands core the same backends as the CLI; each loads on first use. */
export const providers: Providers = {
	ssh: () => import("../providers/ssh/index.js"),
	local: () => import("../providers/local/index.js"),
};
