// `deploy preview --stop` (issue 14): the preview's daemon, its built-in proxy and its
// apps all stop. The bundle's own `stop` command does it (as `system purge` does on a
// server), so no daemon has to be running, or started, for it.
import { execa } from "execa";
import type { AgentBundle } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/index.js";

export interface LocalAgentStopped {
	/** Whether a daemon was running. */
	agent: boolean;
	/** How many app instances were running and were stopped. */
	instances: number;
}

export async function stopLocalAgent({ home, bundle }: { home: string; bundle: AgentBundle }): Promise<LocalAgentStopped> {
	const run = await execa(process.execPath, [bundle.path, "stop"], {
		env: { DEPLOY_AGENT_HOME: home, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: "1" } : {}) },
		stdin: "ignore",
		reject: false,
	});
	const line = run.stdout.split("\n").find((text) => text.startsWith("{"));
	if (run.exitCode !== 0 || !line) {
		throw new DeployError("PREVIEW_STOP_FAILED", "The preview's agent could not be stopped.", `Its log is ${home}/agent.log; the details show what it said.`, run.stderr.split("\n").filter(Boolean).slice(-20));
	}
	return JSON.parse(line) as LocalAgentStopped;
}
