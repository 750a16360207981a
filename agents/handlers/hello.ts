import { PROTOCOL_VERSION } from "../../core/protocol/index.js";
import type { Handler } from "./call.js";

export const hello: Handler<"hello"> = async (_params, { agent }) => ({
	agentVersion: agent.version,
	protocol: PROTOCOL_VERSION,
	home: agent.home.root,
	node: process.version,
	setup: agent.setup,
});
