import { pc } from "../output/colors.js";
import type { DeployResult } from "../../core/api/index.js";
import { formatSize } from "../../core/protocol/size.js";
import { formatDuration } from "../../core/protocol/duration.js";
import { runCommand } from "../output/run.js";
import { DeployError } from "../../core/protocol/errors.js";
import { urlLines } from "../output/urls.js";

interface DeployOptions {
	json?: boolean;
	server?: string;
	app?: string;
	/** false with --no-wait: fail at once when another deploy of the app runs. */
	wait: boolean;
	/** Issue 6: --preview and --ttl. */
	preview?: boolean;
	ttl?: string;
	/** Issue 17: the server's HTTPS API; the key comes from DEPLOY_TOKEN only (never a flag: a command line is visible to every local user). */
	api?: string;
}

/** `deploy [dir]`: exit code 0 only when the new version is live. */
export async function deployCommand(dir: string, options: DeployOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const started = Date.now();
		const result = await context.api.deployments.create(
			{
				dir,
				wait: options.wait,
				...(options.server ? { server: options.server } : {}),
				...(options.app ? { app: options.app } : {}),
				...(options.preview ? { preview: true } : {}),
				...(options.ttl ? { ttl: options.ttl } : {}),
				...(options.api ? { api: { url: options.api, token: apiToken() } } : {}),
			},
			{ onEvent: context.onEvent, signal: context.signal },
		);
		printDeployResult(context, result, Date.now() - started);
	});
}

function apiToken(): string {
	const token = process.env.DEPLOY_TOKEN?.trim();
	if (!token) throw new DeployError("BAD_ARGUMENT", "--api needs an API key in DEPLOY_TOKEN.", "Make one with `deploy keys create ci --team <team> --scope deploy` and set DEPLOY_TOKEN (a CI secret).");
	return token;
}

export function printDeployResult(context: { json: boolean; print(value: unknown, human: () => string): void }, result: DeployResult, elapsedMs: number): void {
	context.print({ type: "result", ...result }, () => {
		process.stderr.write(`${deploySummary(result, elapsedMs, pc)}\n`);
		return result.url ?? "";
	});
}

type Colors = Pick<typeof pc, "green" | "yellow" | "red" | "dim">;

/**
 * The human line(s) after a deploy: what went live, how long, what travelled; then
 * the framework and what the caches saved. A deploy that changed nothing says so
 * first: that is the news.
 */
export function deploySummary(result: DeployResult, elapsedMs: number, color: Colors): string {
	const sent = `${result.upload.objectsSent} objects / ${formatSize(result.upload.bytesSent)} sent`;
	if (result.unchanged) {
		return `${color.green("✔")} already live: nothing changed ${color.dim(`(${result.app} on ${result.server}, ${result.id}, ${formatDuration(elapsedMs)}, ${sent}; nothing rebuilt or restarted)`)}`;
	}
	const head = `${color.green("✔")} ${result.app} is live on ${result.server} ${color.dim(`(${result.id}, ${formatDuration(elapsedMs)}, ${sent})`)}`;
	// Issue 14: every URL with its state, the one that works first (stdout keeps that one alone, for scripts).
	const urls = result.urls && result.urls.length > 1 ? `\n${urlLines(result.urls, color).join("\n")}` : "";
	const facts = [
		// Issue 6: a preview says what it previews and when the server removes it.
		...(result.preview ? [`preview of ${result.preview.of} (branch ${result.preview.branch}), removed after ${result.preview.expiresAt}`] : []),
		...(result.framework ? [result.framework] : []),
		...(result.cache ? [`install: ${cacheWord(result.cache.install)}`, `build: ${cacheWord(result.cache.build)}`] : []),
	];
	return `${facts.length > 0 ? `${head}\n  ${color.dim(facts.join(" · "))}` : head}${urls}`;
}

function cacheWord(outcome: "hit" | "miss" | "skipped"): string {
	return { hit: "cache hit", miss: "ran", skipped: "none" }[outcome];
}
