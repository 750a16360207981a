import { reconcileRoutes } from "../deploy/reconcile.js";
import type { Handler } from "./call.js";

/**
 * Stores the server setup and starts its proxy, streaming the proxy's own log lines.
 * The live apps' routes are then made again with the new setup: their TLS hosts
 * depend on it (`--no-tls`, the ports), and a route stored under the old one would
 * keep the old answer until the next deploy.
 */
export const setup: Handler<"setup"> = async (params, { agent, emit }) => {
	await agent.applySetup(params);
	const driver = agent.requireDriver();
	const started = Date.now();
	emit({ type: "step", step: "proxy", status: "started" });
	try {
		const log = (line: string) => emit({ type: "log", step: "proxy", stream: "stdout", line });
		const { version } = await agent.withProxyLog(log, async () => {
			const running = await driver.ensureRunning();
			await reconcileRoutes(agent);
			return running;
		});
		emit({ type: "step", step: "proxy", status: "done", message: `${params.proxy}${version ? ` ${version}` : ""} running on ports ${params.httpPort}/${params.httpsPort}`, durationMs: Date.now() - started });
		return { proxy: params.proxy, proxyVersion: version };
	} catch (error) {
		emit({ type: "step", step: "proxy", status: "failed", message: (error as Error).message });
		throw error;
	}
};
