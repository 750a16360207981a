import { pc } from "../output/colors.js";
import { formatSize } from "../../core/protocol/size.js";
import { runCommand } from "../output/run.js";

interface CacheOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

/** `deploy cache clear`: the next deploy installs and builds from scratch; uploaded files no kept release uses go too. */
export async function cacheClearCommand(options: CacheOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.cache.clear({ ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });
		context.print({ type: "result", ...result }, () => {
			const whose = result.app ? `of ${result.app}` : "of every app";
			process.stderr.write(`${pc.green("✔")} cleared the build caches ${whose} on ${result.server}\n`);
			const caches = `${result.entries} ${result.entries === 1 ? "entry" : "entries"}, ${formatSize(result.bytes)} freed`;
			if (!result.objects) return caches;
			const { objects, bytes } = result.objects;
			return `${caches}\n${objects} uploaded ${objects === 1 ? "file" : "files"} no kept release uses removed, ${formatSize(bytes)} freed`;
		});
	});
}
