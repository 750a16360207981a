import type { Providers } from "../provider.js";

/** What every api method is given: the backends the front end wired in. */
export interface ApiContext {
	providers: Providers;
}
