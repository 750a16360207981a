// Issue 14: a `servers add` that fails after it started the agent must not leave it
// running on a server that was not set up before (it would serve nothing, and revive at
// boot from the units). A server that was set up before is left as it was.
import type { RemoteHost } from "../../provider.js";
import { DeployError, type DeployEvent } from "../../protocol/index.js";
import { systemUndoResult } from "../../protocol/system.js";
import { rootCommand } from "../shell.js";
import { runAgentSystem } from "./system.js";

// The agent's setup (server.json) is written by its first `setup`; agent.pid names the daemon while it serves.
const SET_UP_BEFORE = ['[ -f "$1/server.json" ] && echo configured', 'pid=$(cat "$1/agent.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo serving', "exit 0"].join("\n");

/** Whether the agent had been set up here, or serves, before this run changed anything. */
export async function setUpBefore(host: RemoteHost, home: string): Promise<boolean> {
	const { stdout } = await host.exec(rootCommand(SET_UP_BEFORE, [home]));
	return /\b(configured|serving)\b/.test(stdout);
}

/**
 * Runs `system undo` after `failure`, and returns the failure told with what was taken
 * back (or why that failed too: then the hint says what may still run).
 */
export async function undoFailedSetup(host: RemoteHost, home: string, failure: unknown, emit: (event: DeployEvent) => void): Promise<DeployError> {
	const error = failure instanceof DeployError ? failure : new DeployError("SETUP_FAILED", failure instanceof Error ? failure.message : String(failure));
	try {
		const { undone } = await runAgentSystem(host, home, ["undo"], (value) => systemUndoResult.parse(value), emit);
		const said = undone.length > 0 ? `${undone.join(", ")}: nothing this run started keeps running on ${host.where}` : `nothing this run started was running on ${host.where}`;
		return new DeployError(error.code, error.message, `${error.hint ? `${error.hint} ` : ""}${capitalize(said)}; the files it installed stay, so \`deploy servers add\` again is quick.`, error.details);
	} catch (undoError) {
		const why = undoError instanceof Error ? undoError.message : String(undoError);
		return new DeployError(error.code, error.message, `${error.hint ? `${error.hint} ` : ""}Taking back what this run started failed too (${why}): the agent may still run on ${host.where}; \`deploy servers add\` again repairs it.`, error.details);
	}
}

function capitalize(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
