import { withScaling } from "../autoscale/status.js";
import { instanceInfos } from "../processes/ps.js";
import type { Handler } from "./call.js";

export const ps: Handler<"ps"> = async ({ app }, { agent }) => withScaling(agent, instanceInfos(agent.supervisor, agent.cpuSampler, app), app);
