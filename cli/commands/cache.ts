import { pc } from "../output/colors.js";
import { formatBytes } from "../../core/deploy/upload.js";
import { runCommand } from "../output/run.js";

interface CacheOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

/** `deploy cache clear`: the next deploy installs and builds from scratch. */
export async function cacheClearCommand(options: CacheOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.cache.clear({ ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });
		context.print({ type: "result", ...result }, () => {
			const whose = result.app ? `of ${result.app}` : "of every app";
			process.stderr.write(`${pc.green("✔")} cleared the build caches ${whose} on ${result.server}\n`);
			return `${result.entries} ${result.entries === 1 ? "entry" : "entries"}, ${formatBytes(result.bytes)} freed`;
		});
	});
}
