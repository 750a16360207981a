import { join } from "node:path";
import { stringify } from "yaml";
import { DeployError, type ServerSetup } from "../../../core/protocol/index.js";
import type { AppRoute } from "../driver.js";
import { hostPort } from "../route.js";

/** Where the Traefik driver keeps its files inside the agent's proxy folder. */
export function traefikPaths(dir: string) {
	return {
		static: join(dir, "traefik.yaml"),
		dynamic: join(dir, "dynamic"),
		acme: join(dir, "acme.json"),
		accessLog: join(dir, "access.log"),
		log: join(dir, "traefik.log"),
		pid: join(dir, "traefik.pid"),
		routes: join(dir, "routes"),
	};
}

export function dynamicFile(dir: string, app: string): string {
	return join(traefikPaths(dir).dynamic, `${app}.yaml`);
}

/**
 * Traefik's static configuration (<dir>/traefik.yaml): entry points, the file
 * provider watching one file per app, the Let's Encrypt resolver and JSON access logs.
 */
export function renderTraefikStatic(setup: ServerSetup, dir: string): object {
	const paths = traefikPaths(dir);
	return {
		// Traefik would otherwise call home at start; a server's proxy has no reason to.
		global: { checkNewVersion: false, sendAnonymousUsage: false },
		entryPoints: {
			web: { address: `:${setup.httpPort}` },
			websecure: { address: `:${setup.httpsPort}` },
		},
		providers: { file: { directory: paths.dynamic, watch: true } },
		certificatesResolvers: {
			letsencrypt: { acme: { storage: paths.acme, httpChallenge: { entryPoint: "web" } } },
		},
		accessLog: { filePath: paths.accessLog, format: "json" },
		log: { filePath: paths.log, level: "INFO" },
	};
}

/** One app's dynamic configuration (<dir>/dynamic/<app>.yaml): a router by host and a round-robin service. */
export function renderTraefikDynamic(route: AppRoute): object {
	// Traefik cannot serve files: a static site reaches it through the agent's static server.
	if (route.upstreams.length === 0) {
		throw new DeployError("INVALID_ROUTE", `Traefik cannot serve the static site of ${route.app} without an upstream.`, "This is a bug in the agent; report it.");
	}
	return {
		http: {
			routers: {
				[route.app]: {
					rule: route.hosts.map((host) => `Host(\`${host}\`)`).join(" || "),
					service: route.app,
					entryPoints: ["web"],
				},
			},
			services: {
				[route.app]: {
					loadBalancer: {
						servers: route.upstreams.map((upstream) => ({ url: `http://${hostPort(upstream.host, upstream.port)}` })),
					},
				},
			},
		},
	};
}

/**
 * The one YAML serialization of Traefik config, shared by the driver and the golden-file
 * tests. Values are double-quoted as in Traefik's docs, so `:80` or a rule with
 * backticks can never be read as anything but a string.
 */
export function renderTraefikYaml(config: object): string {
	return stringify(config, { lineWidth: 0, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" });
}
