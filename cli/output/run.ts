import { pc } from "./colors.js";
import { type DeployEvent, DeployError, toErrorInfo } from "../../core/protocol/index.js";
import type { Api } from "../../core/api/index.js";
import { humanEventPrinter } from "./human.js";
import { printable } from "./terminal-text.js";

/** Exit codes, documented in docs/cli.md: scripts may rely on them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;
const USAGE_CODES = new Set(["BAD_ARGUMENT", "SOURCE_NOT_FOUND", "CONFIRMATION_REQUIRED", "CONFIG_INVALID", "CONFIG_EXISTS", "SERVER_UNKNOWN", "SERVER_REQUIRED", "SERVER_EXISTS", "NO_SERVERS", "APP_UNKNOWN"]);

export interface CommandContext {
	api: Api;
	json: boolean;
	signal: AbortSignal;
	/** Where events go: JSON lines on stdout with --json, a progress display on stderr without. */
	onEvent: (event: DeployEvent) => void;
	/** Prints a final value: as one JSON document with --json, else through `human`. */
	print(value: unknown, human: () => string): void;
}

/**
 * The one top-level handler of every command: builds the api, wires Ctrl-C to an
 * AbortSignal, and turns any error into a message + hint (or a JSON error line)
 * and an exit code.
 */
export async function runCommand(options: { json?: boolean }, body: (context: CommandContext) => Promise<void>): Promise<void> {
	const json = options.json === true;
	const controller = new AbortController();
	const onSigint = () => (controller.signal.aborted ? process.exit(EXIT.interrupted) : controller.abort());
	process.on("SIGINT", onSigint);
	const { createApi } = await import("../../core/api/index.js");
	const { providers } = await import("../providers.js");
	const context: CommandContext = {
		api: createApi(providers),
		json,
		signal: controller.signal,
		onEvent: json ? (event) => writeJson(event) : humanEventPrinter(),
		print: (value, human) => (json ? writeJson(value) : process.stdout.write(`${human()}\n`)),
	};
	try {
		await body(context);
	} catch (error) {
		if (controller.signal.aborted) {
			process.exitCode = EXIT.interrupted;
			return;
		}
		const info = toErrorInfo(error);
		if (json) writeJson({ type: "error", error: info });
		else {
			// Messages and details can quote a server's text (a build's last lines): printed without its control sequences.
			process.stderr.write(`${pc.red("error")} ${printable(info.message)}\n`);
			// Details the message already says (config problems, a fingerprint) are not repeated.
			for (const line of info.details ?? []) if (!info.message.includes(line)) process.stderr.write(`${pc.dim("  │")} ${printable(line)}\n`);
			if (info.hint) process.stderr.write(`${pc.yellow("hint")}  ${printable(info.hint)}\n`);
			if (info.code === "INTERNAL" && process.env.DEPLOY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
		}
		process.exitCode = error instanceof DeployError && USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failed;
	} finally {
		process.off("SIGINT", onSigint);
		// A session started early for a server the command did not use (cli/early-connect.ts).
		await (await import("../../core/servers/early-session.js")).closeUnadoptedEarly();
	}
}

function writeJson(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value)}\n`);
}
