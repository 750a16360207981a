// Issue 17: the HTTPS API's listener and its route. Off by default; `api.enable` starts
// a node:http server on 127.0.0.1 (a port the system picks; the agent's unix socket is
// never exposed) and routes the domain to it through the server's proxy, with the same
// certificate machinery as an app's custom domain (agents/proxy/tls.ts). The setting is
// api.json in the agent's home, so a restarted daemon serves it again.
import { createServer, type Server } from "node:http";
import type { ApiStatus } from "../../core/protocol/api-keys.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { HasHome, HasLog, HasProxy, HasSetup } from "../context/parts.js";
import { API_ROUTE } from "../proxy/route.js";
import { serialized } from "../proxy/serial.js";
import { routeTls, urlOf } from "../proxy/tls.js";
import { type ApiRequestDeps, apiRequestHandler } from "./http-handler.js";
import { readApiSettings, removeApiSettings, writeApiSettings } from "./settings.js";

type ApiParts = HasHome & HasSetup & HasProxy & HasLog;

export class PlatformApi {
	#server: Server | null = null;
	#port: number | null = null;
	#domain: string | null = null;
	readonly #serial = serialized();

	constructor(
		private readonly parts: ApiParts,
		private readonly call: ApiRequestDeps["call"],
	) {}

	/** At daemon start, once the proxy runs: serves again what was enabled. */
	resume(): Promise<void> {
		return this.#serial(async () => {
			const settings = await readApiSettings(this.parts.home.root);
			if (!settings) return;
			await this.#open(settings.domain);
			this.parts.log(`api: serving ${settings.domain} on 127.0.0.1:${this.#port}`);
		});
	}

	enable(domain: string): Promise<ApiStatus> {
		return this.#serial(async () => {
			if (!this.parts.setup) throw new DeployError("NOT_SET_UP", "This server has not been set up yet (no proxy is configured).", "Run `deploy servers add` for this server first.");
			const listening = this.#server !== null;
			const before = this.#domain;
			try {
				await this.#open(domain);
				await writeApiSettings(this.parts.home.root, domain);
			} catch (error) {
				// Nothing changed: the old route (or none) and the old listener (or none).
				if (before) await this.#open(before).catch(() => undefined);
				else await this.#close(listening);
				throw error;
			}
			return this.status();
		});
	}

	disable(): Promise<ApiStatus> {
		return this.#serial(async () => {
			await this.parts.proxyReady;
			if (this.parts.driver) await this.parts.driver.removeRoute(API_ROUTE);
			await removeApiSettings(this.parts.home.root);
			await this.#close(false);
			return this.status();
		});
	}

	status(): ApiStatus {
		const { setup } = this.parts;
		return { enabled: this.#domain !== null, domain: this.#domain, url: this.#domain && setup ? urlOf(setup, this.#domain) : null, port: this.#port };
	}

	/** Listens (when not yet) and routes the domain to the listener. */
	async #open(domain: string): Promise<void> {
		const port = this.#port ?? (await this.#listen());
		await this.parts.proxyReady;
		await this.parts.requireDriver().applyRoute({ app: API_ROUTE, hosts: [domain], upstreams: [{ host: "127.0.0.1", port }], ...routeTls(this.parts.setup, [domain]) });
		this.#domain = domain;
	}

	async #listen(): Promise<number> {
		const server = createServer(
			// Receiving a request (its body) is bounded; an answer that streams (a followed log) is not.
			{ requestTimeout: 300_000, headersTimeout: 30_000 },
			apiRequestHandler({ homeRoot: this.parts.home.root, call: this.call, url: () => this.status().url ?? undefined, log: this.parts.log }),
		);
		await new Promise<void>((resolve, reject) => {
			server.once("error", reject);
			server.listen(0, "127.0.0.1", () => resolve());
		});
		server.on("error", (error) => this.parts.log(`api: ${error.message}`));
		this.#server = server;
		this.#port = (server.address() as { port: number }).port;
		return this.#port;
	}

	/** Stops listening, unless `keep` (it was listening before a failed change). */
	async #close(keep: boolean): Promise<void> {
		this.#domain = keep ? this.#domain : null;
		if (keep || !this.#server) return;
		const server = this.#server;
		this.#server = null;
		this.#port = null;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
