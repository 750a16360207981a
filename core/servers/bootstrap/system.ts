// Issue 12: runs the agent's `system` command as root over the connection and relays
// what it prints: events as they come, then its result or its error.
import { join } from "node:path";
import type { RemoteHost } from "../../provider.js";
import { DeployError } from "../../protocol/errors.js";
import type { DeployEvent } from "../../protocol/index.js";
import { AGENT_RUNTIME_LINK, RUNTIMES_DIR } from "../../protocol/runtime.js";
import { systemLine } from "../../protocol/system.js";
import { rootCommand } from "../shell.js";

// The agent's runtime where one is installed (a server set up before issue 12 has none: its node).
const RUN_AGENT = 'node="$1/bin/node"; [ -x "$node" ] || node=node; shift; exec "$node" "$@"';

export async function runAgentSystem<T>(host: RemoteHost, home: string, args: string[], parse: (value: unknown) => T, emit: (event: DeployEvent) => void): Promise<T> {
	const runtime = join(home, RUNTIMES_DIR, AGENT_RUNTIME_LINK);
	let result: { value: unknown } | null = null;
	let failure: DeployError | null = null;
	const noise: string[] = [];
	const run = await host.exec(rootCommand(RUN_AGENT, [runtime, join(home, "bin", "agent.mjs"), "system", ...args]), {
		onLine: (line) => {
			let parsed: ReturnType<typeof systemLine.safeParse> | null = null;
			try {
				parsed = systemLine.safeParse(JSON.parse(line));
			} catch {}
			if (!parsed?.success) {
				if (line.trim() && noise.length < 20) noise.push(line);
				return;
			}
			const message = parsed.data;
			if ("event" in message) emit(message.event);
			else if ("result" in message) result = { value: message.result };
			else failure = DeployError.fromInfo(message.error);
		},
	});
	if (failure) throw failure;
	if (!result || run.code !== 0) {
		throw new DeployError("AGENT_SYSTEM_FAILED", `The agent's system ${args[0] ?? "command"} on ${host.where} ended without a result (exit code ${run.code ?? "none"}).`, "Read the details below.", [...noise, ...run.stderr]);
	}
	return parse((result as { value: unknown }).value);
}
