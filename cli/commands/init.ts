import { relative } from "node:path";
import { runCommand } from "../output/run.js";

/** `deploy init`: write deploy.yaml and say what was detected. */
export async function initCommand(dir: string, options: { json?: boolean; force?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.projects.init({ dir, force: options.force === true });
		context.print(result, () =>
			[
				`Wrote ${relative(process.cwd(), result.path) || result.path}. Detected:`,
				...Object.entries(result.detected).map(([key, value]) => `  ${key}: ${value}`),
				"Edit it as you like, then run `deploy`.",
			].join("\n"),
		);
	});
}
