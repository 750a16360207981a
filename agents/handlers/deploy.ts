import { runDeployment } from "../deploy/pipeline.js";
import type { Handler } from "./call.js";

/** Deploys of one app wait their turn; a cancel while waiting ends the call without a record. */
export const deploy: Handler<"deploy"> = async (params, { agent, signal, emit }) =>
	agent.queue.run(params.app.name, async () => {
		signal.throwIfAborted();
		return runDeployment(agent, params, signal, emit);
	});
