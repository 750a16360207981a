import type { Server } from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { httpUrl } from "../../../core/protocol/hosts.js";
import { DeployError } from "../../../core/protocol/index.js";
import type { AppRoute, CertificateInfo, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "../driver.js";
import { parseRoute, withoutRoute, withRoute } from "../route.js";
import { serialized } from "../serial.js";
import { buildRouteTable, type RouteTable } from "./route-table.js";
import { loadBuiltinRoutes, saveBuiltinRoutes } from "./routes-file.js";
import { createBuiltinServer } from "./server.js";

/**
 * The proxy for `deploy preview` on the user's own machine: no Caddy needed, it runs
 * inside the agent daemon and lives as long as it does. Routes are stored in
 * builtin-routes.json so a restarted daemon serves the same apps.
 */
export class BuiltinProxyDriver implements ProxyDriver {
	readonly kind = "builtin" as const;
	readonly servesFiles = false;
	readonly #file: string;
	readonly #serial = serialized();
	readonly #sockets = new Set<Socket>();
	#table: RouteTable = buildRouteTable([]);
	#server: Server | undefined;

	constructor(private readonly options: ProxyDriverOptions) {
		this.#file = join(options.dir, "builtin-routes.json");
	}

	ensureRunning(): Promise<{ version: string | null }> {
		return this.#serial(async () => {
			this.#table = buildRouteTable(await loadBuiltinRoutes(this.#file));
			if (!this.#server) this.#server = await this.#listen();
			return { version: null };
		});
	}

	applyRoute(route: AppRoute): Promise<void> {
		return this.#serial(async () => {
			const valid = parseRoute(route);
			const routes = withRoute(await loadBuiltinRoutes(this.#file), valid);
			await saveBuiltinRoutes(this.#file, routes);
			// One assignment: a request sees the whole old table or the whole new one.
			this.#table = buildRouteTable(routes);
			this.options.log(`proxy: ${valid.app} -> ${valid.upstreams.map((u) => u.port).join(", ")}`);
		});
	}

	removeRoute(app: string): Promise<void> {
		return this.#serial(async () => {
			const routes = withoutRoute(await loadBuiltinRoutes(this.#file), app);
			await saveBuiltinRoutes(this.#file, routes);
			this.#table = buildRouteTable(routes);
		});
	}

	defaultHost(app: string): string {
		return `${app}.localhost`;
	}

	defaultUrl(app: string): string {
		return httpUrl(this.defaultHost(app), this.options.setup.httpPort);
	}

	/** The built-in proxy serves plain HTTP only (local previews). */
	async certificates(hosts: readonly string[]): Promise<CertificateInfo[]> {
		return hosts.map((host) => ({ host, issuer: null, notAfter: null, state: "none" }));
	}

	async health(): Promise<ProxyHealth> {
		// It lives inside this daemon: listening is running.
		if (this.#server?.listening) return { running: true };
		return { running: false, message: `The preview proxy is not listening on 127.0.0.1:${this.options.setup.httpPort}.` };
	}

	stop(): Promise<void> {
		return this.#serial(async () => {
			const server = this.#server;
			if (!server) return;
			this.#server = undefined;
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			for (const socket of this.#sockets) socket.destroy();
			await closed;
		});
	}

	async #listen(): Promise<Server> {
		const server = createBuiltinServer(() => this.#table);
		// Upgraded sockets leave the server's bookkeeping, so stop() tracks them itself.
		server.on("connection", (socket) => {
			this.#sockets.add(socket);
			socket.on("close", () => this.#sockets.delete(socket));
		});
		const port = this.options.setup.httpPort;
		await new Promise<void>((resolve, reject) => {
			server.once("error", reject);
			server.listen(port, "127.0.0.1", () => {
				server.off("error", reject);
				resolve();
			});
		}).catch((error: NodeJS.ErrnoException) => {
			throw new DeployError(
				"PROXY_UNAVAILABLE",
				`The preview proxy cannot listen on 127.0.0.1:${port}: ${error.code ?? error.message}.`,
				error.code === "EADDRINUSE" ? `Another program uses port ${port}; stop it or choose another HTTP port.` : undefined,
			);
		});
		this.options.log(`proxy: builtin listening on 127.0.0.1:${port}`);
		return server;
	}
}
