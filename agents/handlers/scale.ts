import { runScale } from "../deploy/scale.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

export const scale: Handler<"scale"> = async ({ app, processes, wait }, call) =>
	underLock(call, app, { operation: "scale", deploymentId: null }, wait, async () => ({ app, processes: await runScale(call.agent, app, processes, call.signal, call.emit) }));
