// `deploy` and `deploy <folder>` deploy; `deploy <command>` runs a command. The first
// word decides, and commander cannot tell a folder from a mistyped command: given a
// root action it takes any unknown word as the folder (`deploy deplyo`: "the project
// folder …/deplyo does not exist") and a mistyped command with arguments as "too many
// arguments". So the root has no action; this rewrites the command line before
// commander parses it, sending folders to the `deploy` command and leaving every other
// word to commander, which reports an unknown one with its "Did you mean" suggestion.
import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import type { Command } from "commander";

export interface RouteContext {
	/** The top-level commands' names and aliases. */
	commands: ReadonlySet<string>;
	/** Whether an option of the `deploy` command takes a value (`-s prod`): that value is no folder. */
	takesValue(option: string): boolean;
	/** Whether a bare word names the folder to deploy. */
	isFolder(word: string): boolean;
}

const ROOT_FLAGS = new Set(["-h", "--help", "-v", "--version"]);

/** The arguments commander should parse (without node and the script), from the ones the user typed. Pure but for `isFolder`. */
export function routeArgv(argv: readonly string[], context: RouteContext): string[] {
	if (argv.length > 0 && ROOT_FLAGS.has(argv[0]!)) return [...argv];
	const at = firstOperand(argv, context);
	if (at === undefined) return ["deploy", ...argv];
	const word = argv[at]!;
	if (word === "help") return helpFor(argv.slice(at + 1), context);
	if (context.commands.has(word)) return [...argv];
	if (context.isFolder(word)) return ["deploy", ...argv];
	// An unknown command: first, so commander names it (options before it are not the root's).
	return [word, ...argv.slice(0, at), ...argv.slice(at + 1)];
}

/**
 * `deploy help servers add` is `deploy servers add --help`, at any depth (commander's
 * own help command goes one level down). An unknown name gets the unknown-command error.
 */
function helpFor(rest: readonly string[], context: RouteContext): string[] {
	const names = rest.filter((arg) => !arg.startsWith("-"));
	if (names.length === 0) return ["--help"];
	if (!context.commands.has(names[0]!)) return [names[0]!];
	return [...names, "--help"];
}

/** The index of the first word that is neither an option nor an option's value; undefined when there is none (or after `--`). */
function firstOperand(argv: readonly string[], context: RouteContext): number | undefined {
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		if (arg === "--") return undefined;
		if (!arg.startsWith("-") || arg === "-") return i;
		if (!arg.includes("=") && context.takesValue(arg)) i++;
	}
	return undefined;
}

/** A word names a folder when it exists, or is written as a path: `./web`, `apps/web`, `/srv/web`, `~/web`, `..`. */
export function looksLikeFolder(word: string): boolean {
	return word.startsWith(".") || word.startsWith("~") || word.includes("/") || word.includes("\\") || isAbsolute(word) || existsSync(word);
}

/** The context of `program`'s command line: its commands, and the options of `deploy` (its folder command) that take a value. */
export function routeContext(program: Command, deploy: Command): RouteContext {
	const valueOptions = deploy.options.filter((option) => option.required || option.optional);
	return {
		commands: new Set(program.commands.flatMap((command) => [command.name(), ...command.aliases()])),
		takesValue: (arg) => valueOptions.some((option) => option.short === arg || option.long === arg),
		isFolder: looksLikeFolder,
	};
}
