// `agent.mjs system install <json>`, `agent.mjs system purge` and `system undo`: run once, as root,
// by the client over SSH. stdout carries JSON lines only: events while it works, then
// the result or the error (core/protocol/system.ts).
import { DeployError, type DeployEvent, toErrorInfo } from "../../core/protocol/index.js";
import { systemInstallInput } from "../../core/protocol/system.js";
import { StepReporter } from "../deploy/steps.js";
import type { AgentHome } from "../home.js";

export async function runSystem(home: AgentHome, args: string[]): Promise<void> {
	const write = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
	const emit = (event: DeployEvent) => write({ event });
	const steps = new StepReporter(emit);
	const log = (line: string) => emit({ type: "log", stream: "stdout", line });
	try {
		if (process.getuid?.() !== 0) throw new DeployError("NOT_ROOT", "The system setup must run as root.", "The client runs it through sudo; this is a bug if you see it.");
		const [command, json] = args;
		if (command === "install") {
			const parsed = systemInstallInput.safeParse(JSON.parse(json ?? "null"));
			if (!parsed.success) throw new DeployError("BAD_ARGUMENT", `system install: ${parsed.error.issues[0]?.message ?? "bad input"}`, "This is a bug in the client.");
			const { systemInstall } = await import("./install.js");
			write({ result: await systemInstall(home, parsed.data, steps, log) });
		} else if (command === "purge") {
			const { systemPurge } = await import("./purge.js");
			write({ result: await systemPurge(home, steps, log) });
		} else if (command === "undo") {
			// Issue 14: after a failed first `servers add`.
			const { systemUndo } = await import("./undo.js");
			write({ result: await systemUndo(home, steps) });
		} else {
			throw new DeployError("BAD_ARGUMENT", `Unknown system command ${command ?? "(none)"}.`, "Use install, purge or undo.");
		}
	} catch (error) {
		write({ error: toErrorInfo(error) });
		process.exitCode = 1;
	}
}
