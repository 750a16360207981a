import { resolveRollbackTarget, runRollback } from "../deploy/rollback.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

export const rollback: Handler<"rollback"> = async ({ app, to, wait }, call) => {
	// A wrong id fails before waiting for the lock; the target is picked again under it.
	const target = await resolveRollbackTarget(call.agent, app, to);
	return underLock(call, app, { operation: "rollback", deploymentId: target.id }, wait, () => runRollback(call.agent, app, to, call.signal, call.emit));
};
