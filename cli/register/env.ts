import { type Command, Option } from "commander";

/** issue 7: the commands for encrypted environment variables. Only commander loads here; each action imports its module when it runs. */
export function registerEnvCommands(program: Command): void {
	const env = program.command("env").description("the app's secret environment variables, encrypted on this machine and on the server");
	const common = (command: Command) =>
		command
			.option("-a, --app <name>", "the app (default: the one in this folder)")
			.option("-s, --server <name>", "the server")
			.addOption(new Option("--env <environment>", "which set: the live app's, or the one preview deployments get").choices(["production", "preview"]).default("production"))
			.option("--json", "print JSON");
	common(env.command("ls").description("the variables' names and dates; values masked").option("--reveal", "show the values in the clear")).action(async (options) =>
		(await import("../commands/env.js")).envLsCommand(options),
	);
	common(
		env
			.command("set")
			.description("set variables: a new release of the live build with them, no rebuild")
			.argument("<pairs...>", "KEY=VALUE pairs; one KEY alone reads its value from stdin when piped, else from a prompt that does not show the typing (kept out of process arguments and shell history)")
			.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
			.addHelpText(
				"after",
				[
					"",
					"Examples:",
					"  deploy env set LOG_LEVEL=debug",
					"  deploy env set DATABASE_URL                   asks for the value; what you type is not shown",
					'  printf %s "$TOKEN" | deploy env set TOKEN     reads the value from stdin (one final newline dropped)',
				].join("\n"),
			),
	).action(async (pairs: string[], options) => (await import("../commands/env.js")).envSetCommand(pairs, options));
	common(
		env
			.command("unset")
			.description("remove variables: a new release of the live build without them")
			.argument("<keys...>", "variable names")
			.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it"),
	).action(async (keys: string[], options) => (await import("../commands/env.js")).envUnsetCommand(keys, options));
	common(env.command("pull").description("merge the server's values into a local .env file; shows what changes, never drops a key").argument("[file]", "the .env file", ".env")).action(
		async (file: string, options) => (await import("../commands/env.js")).envPullCommand(file, options),
	);
	common(
		env
			.command("import")
			.description("set every variable of a .env file, in one release")
			.argument("<file>", "the .env file")
			.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it"),
	).action(async (file: string, options) => (await import("../commands/env.js")).envImportCommand(file, options));
}
