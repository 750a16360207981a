import { DeployError } from "../../core/protocol/index.js";

/**
 * A write of the agent's own files that failed, as an error a person can act on: a full
 * disk (or quota) says so plainly, anything else keeps its reason. `what` names the
 * file for a person ("the deploy lock of shop"); the path and the system's words go in
 * the details.
 */
export function writeFailure(what: string, path: string, error: unknown): DeployError {
	const { code, message } = error as NodeJS.ErrnoException;
	const facts = [`${path}: ${message ?? String(error)}`];
	if (code === "ENOSPC" || code === "EDQUOT") {
		return new DeployError("DISK_FULL", `The server's disk is full: the agent could not write ${what}. Nothing was changed.`, "Free space on the server (`deploy cache clear`, old logs, other files), then run the command again.", facts);
	}
	return new DeployError("STATE_WRITE_FAILED", `The agent could not write ${what} (${code ?? "error"}). Nothing was changed.`, "Check the agent's home on the server (its disk, its permissions; `deploy doctor`), then run the command again.", facts);
}
