import { pc } from "../output/colors.js";
import { DeployError } from "../../core/protocol/index.js";
import { runCommand } from "../output/run.js";

interface ScaleOptions {
	json?: boolean;
	app?: string;
	server?: string;
	wait: boolean;
}

const PAIR = /^([a-z][a-z0-9_-]{0,30})=(\d{1,2})$/;

/**
 * `name=N` arguments as counts by process. Checked before anything connects: a typo
 * like `web=three` or `web:3` is BAD_ARGUMENT (exit 2) and nothing changes.
 */
export function parseCounts(args: string[]): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const arg of args) {
		const match = PAIR.exec(arg);
		const count = Number(match?.[2]);
		// Only the syntax is checked here; how many instances a process may have is the contract's rule (instances.scale).
		if (!match) {
			throw new DeployError(
				"BAD_ARGUMENT",
				`"${arg}" is not a process=count pair.`,
				`Write it like web=3: a process name from deploy.yaml (lowercase), "=", then the number of instances.`,
			);
		}
		if (match[1]! in counts) throw new DeployError("BAD_ARGUMENT", `${match[1]} is given twice.`, "Name each process once.");
		counts[match[1]!] = count;
	}
	return counts;
}

/** `deploy scale web=3 [worker=1 ...]`: exit 0 once the new counts run (new instances healthy). */
export async function scaleCommand(args: string[], options: ScaleOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const processes = parseCounts(args);
		const result = await context.api.instances.scale(
			{ processes, wait: options.wait, ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		const summary = Object.entries(result.processes)
			.map(([name, count]) => `${name}=${count}`)
			.join(" ");
		context.print({ type: "result", ...result }, () => {
			process.stderr.write(`${pc.green("✔")} ${result.app} scaled\n`);
			return summary;
		});
	});
}
