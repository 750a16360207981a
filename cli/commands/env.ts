import type { EnvChangeResult } from "../../core/api/env.js";
import { envKey } from "../../core/protocol/env.js";
import { DeployError } from "../../core/protocol/index.js";
import { pc } from "../output/colors.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface EnvOptions {
	json?: boolean;
	app?: string;
	server?: string;
	env: "production" | "preview";
	wait?: boolean;
}

const targetOf = (options: EnvOptions) => ({ environment: options.env, ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) });

/**
 * `KEY=VALUE` arguments, and at most one `KEY` alone: the variable whose value is read
 * from stdin or a hidden prompt (secret-value.ts), kept off the command line. Never
 * repeats a value: only the argument's name, or its position, goes into a message.
 */
export function parsePairs(args: string[]): { vars: Record<string, string>; fromInput: string | null } {
	const vars: Record<string, string> = {};
	const seen = new Set<string>();
	let fromInput: string | null = null;
	for (const [n, arg] of args.entries()) {
		const at = arg.indexOf("=");
		const key = at < 0 ? arg : arg.slice(0, at);
		if (!envKey.safeParse(key).success) {
			throw new DeployError("BAD_ARGUMENT", `Argument ${n + 1} does not start with a variable name${at < 0 ? "" : ` (${key} is not one)`}.`, "Names are letters, digits and _, not starting with a digit: KEY=VALUE.");
		}
		if (seen.has(key)) throw new DeployError("BAD_ARGUMENT", `${key} is given twice.`, "Name each variable once.");
		seen.add(key);
		if (at >= 0) vars[key] = arg.slice(at + 1);
		else if (fromInput === null) fromInput = key;
		else
			throw new DeployError(
				"BAD_ARGUMENT",
				`${fromInput} and ${key} have no value: only one variable can read its value from stdin or a prompt.`,
				`Set them one at a time (\`deploy env set ${fromInput}\`, then \`deploy env set ${key}\`), or use \`deploy env import FILE\`.`,
			);
	}
	return { vars, fromInput };
}

export async function envLsCommand(options: EnvOptions & { reveal?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.env.list({ ...targetOf(options), reveal: options.reveal === true });
		context.print(result, () => {
			if (result.cached) process.stderr.write(`${pc.yellow("note")}  ${result.server} cannot be reached: these are the values seen at ${result.fetchedAt}\n`);
			if (result.vars.length === 0) return `${result.app} has no ${result.environment} variables. Set some with \`deploy env set KEY=VALUE\`.`;
			return table(
				result.vars.map((v) => [v.key, v.value, v.updatedAt]),
				["KEY", "VALUE", "UPDATED"],
			);
		});
	});
}

export async function envSetCommand(pairs: string[], options: EnvOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const { vars, fromInput } = parsePairs(pairs);
		if (fromInput) vars[fromInput] = await (await import("../input/secret-value.js")).readSecretValue(fromInput, context.signal);
		const result = await context.api.env.set({ ...targetOf(options), vars, wait: options.wait !== false }, { onEvent: context.onEvent, signal: context.signal });
		printChange(context, result);
	});
}

export async function envUnsetCommand(keys: string[], options: EnvOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.env.unset({ ...targetOf(options), keys, wait: options.wait !== false }, { onEvent: context.onEvent, signal: context.signal });
		printChange(context, result);
	});
}

export async function envImportCommand(file: string, options: EnvOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.env.import({ ...targetOf(options), file, wait: options.wait !== false }, { onEvent: context.onEvent, signal: context.signal });
		printChange(context, result);
	});
}

export async function envPullCommand(file: string, options: EnvOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.env.pull({ ...targetOf(options), file });
		context.print(result, () =>
			[
				`${pc.green("✔")} ${result.file}: the ${result.environment} values of ${result.app} merged in (values not shown)`,
				...keyLines("added", result.added),
				...keyLines("changed", result.changed),
				...keyLines("unchanged", result.unchanged),
				...keyLines("kept (only in the local file)", result.keptLocal),
			].join("\n"),
		);
	});
}

function printChange(context: Parameters<Parameters<typeof runCommand>[1]>[0], result: EnvChangeResult): void {
	context.print({ type: "result", ...result }, () => {
		const { summary, deployment } = result;
		const lines = [...keyLines("added", summary.added), ...keyLines("changed", summary.changed), ...keyLines("removed", summary.removed), ...keyLines("unchanged", summary.unchanged)];
		const changed = summary.added.length + summary.changed.length + summary.removed.length > 0;
		const outcome = deployment
			? `${pc.green("✔")} ${result.app}: ${deployment.id} is live with the new env (same build, no rebuild)`
			: changed
				? `${pc.green("✔")} ${result.app}: ${result.environment} env stored; ${result.environment === "preview" ? "the next preview deploy" : "the next deploy"} starts with it`
				: `${result.app}: nothing changed`;
		process.stderr.write(`${outcome}\n`);
		return [...lines, ...(deployment?.url ? [deployment.url] : [])].join("\n");
	});
}

function keyLines(label: string, keys: string[]): string[] {
	return keys.length > 0 ? [`  ${label}: ${keys.join(", ")}`] : [];
}
