import { Resolver } from "node:dns/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { DeployError } from "../../../../core/protocol/index.js";
import { writeFileAtomic } from "../../../fs/atomic-write.js";
import { readTextIfExists } from "../../../fs/read-if-exists.js";
import { UPSTREAM_DNS_UNIT } from "../../../system/systemd.js";
import type { ProxyLaunch } from "../../launch.js";
import { logTail, waitFor } from "../../process.js";
import { ProxyProcess } from "../../proxy-process.js";
import { loopbackTargets, upstreamDnsPaths } from "./names.js";

/**
 * How the resolver starts: this very agent file in its `upstream-dns` mode. Where systemd
 * runs the machine's install, deploy-upstreams.service runs it (rendered from this, with
 * the agent's own runtime and bin/agent.mjs, agents/system/units.ts); elsewhere the agent
 * spawns it detached, so it outlives the agent as Caddy does.
 */
export function upstreamDnsLaunch(command: readonly string[], proxyDir: string): ProxyLaunch {
	const paths = upstreamDnsPaths(proxyDir);
	const [binary = process.execPath, ...rest] = command;
	return { name: "upstream-dns", binary, args: [...rest, "upstream-dns", proxyDir], cwd: proxyDir, log: paths.log, envFile: join(proxyDir, "upstream-dns.env"), pidFile: paths.pid, config: paths.port };
}

/**
 * The command that runs this agent: the bundle (dist/agent.mjs, bin/agent.mjs) is this
 * module's own file; run from source (tests), it is agents/main.ts through tsx.
 */
export function agentCommand(): string[] {
	const self = fileURLToPath(import.meta.url);
	if (!self.endsWith(".ts")) return [process.execPath, self];
	const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
	return [process.execPath, "--import", tsx, join(dirname(self), "..", "..", "..", "main.ts")];
}

/** The resolver's process, seen from the Caddy driver: started before Caddy, stopped with it. */
export class UpstreamResolver {
	readonly #paths;
	readonly #process;

	constructor(proxyDir: string, systemd: boolean, command: readonly string[] = agentCommand()) {
		this.#paths = upstreamDnsPaths(proxyDir);
		this.#process = new ProxyProcess(upstreamDnsLaunch(command, proxyDir), systemd, UPSTREAM_DNS_UNIT);
	}

	/**
	 * Its port, once it answers there: started (on a port chosen once and kept) if it does
	 * not. Whatever answers our names on that port is ours, however it was started (by
	 * this agent, an earlier one, or its unit at boot).
	 */
	async ensureRunning(): Promise<number> {
		const port = await this.#port();
		if (await resolverAnswers(port)) return port;
		// One that runs but does not answer is stuck: it goes.
		await this.#process.stop();
		await this.#process.start({});
		if (await waitFor(() => resolverAnswers(port), 10_000, 100)) return port;
		await this.#process.stop();
		throw new DeployError(
			"PROXY_UNAVAILABLE",
			`The proxy's upstream resolver did not start on 127.0.0.1:${port} (see ${this.#paths.log}).`,
			`Check the log lines below; if another program took the port, delete ${this.#paths.port} and run the command again.`,
			await logTail(this.#paths.log),
		);
	}

	stop(): Promise<void> {
		return this.#process.stop();
	}

	async #port(): Promise<number> {
		const stored = Number.parseInt((await readTextIfExists(this.#paths.port))?.trim() ?? "", 10);
		if (stored > 0 && stored < 65536) return stored;
		const port = await freeLoopbackPort();
		await writeFileAtomic(this.#paths.port, `${port}\n`);
		return port;
	}
}

/** Whether a resolver answers on the port: it resolves the IPv4 loopback target. */
export async function resolverAnswers(port: number): Promise<boolean> {
	const resolver = new Resolver({ timeout: 300, tries: 1 });
	resolver.setServers([`127.0.0.1:${port}`]);
	try {
		return (await resolver.resolve4(loopbackTargets["127.0.0.1"])).includes("127.0.0.1");
	} catch {
		return false;
	}
}

/** A port free on 127.0.0.1 for TCP now (the resolver takes UDP and TCP on it; a taken UDP port fails its start, loudly). */
function freeLoopbackPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const address = server.address();
			server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
		});
	});
}
