import { DeployError, type ProxyKind } from "../../core/protocol/index.js";
import { BuiltinProxyDriver } from "./builtin/driver.js";
import { CaddyProxyDriver } from "./caddy/driver.js";
import type { ProxyDriver, ProxyDriverOptions } from "./driver.js";
import { TraefikProxyDriver } from "./traefik/driver.js";

export type { AppRoute, ProxyDriver, ProxyDriverOptions, ProxyHealth } from "./driver.js";

/** The agent's one way to get a proxy driver: looked up by the kind stored in server.json. */
export function createProxyDriver(kind: ProxyKind, options: ProxyDriverOptions): ProxyDriver {
	switch (kind) {
		case "builtin":
			return new BuiltinProxyDriver(options);
		case "caddy":
			return new CaddyProxyDriver(options);
		case "traefik":
			return new TraefikProxyDriver(options);
		default:
			throw new DeployError("INVALID_PROXY", `Unknown proxy kind ${String(kind)}.`, "Use traefik, caddy or builtin.");
	}
}
