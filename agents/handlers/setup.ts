import type { Handler } from "./call.js";

/** Stores the server setup and starts its proxy, streaming the proxy's own log lines. */
export const setup: Handler<"setup"> = async (params, { agent, emit }) => {
	await agent.applySetup(params);
	const driver = agent.requireDriver();
	const started = Date.now();
	emit({ type: "step", step: "proxy", status: "started" });
	try {
		const { version } = await agent.withProxyLog((line) => emit({ type: "log", step: "proxy", stream: "stdout", line }), () => driver.ensureRunning());
		emit({ type: "step", step: "proxy", status: "done", durationMs: Date.now() - started });
		return { proxy: params.proxy, proxyVersion: version };
	} catch (error) {
		emit({ type: "step", step: "proxy", status: "failed", message: (error as Error).message });
		throw error;
	}
};
