import type { Command } from "commander";

/**
 * A usage error commander reports (unknown command or option, a missing or extra
 * argument, a bad value) ends, like every other error of the CLI, with a hint: where
 * the command's help is. Call after every command is registered.
 */
export function addUsageHints(program: Command): void {
	program.showHelpAfterError("hint  `deploy --help` lists the commands. A folder to deploy is written as a path (./web, apps/web), or is one that exists here.");
	const visit = (command: Command, path: string) => {
		command.showHelpAfterError(`hint  \`deploy help ${path}\` shows its options and examples.`);
		for (const sub of command.commands) visit(sub, `${path} ${sub.name()}`);
	};
	for (const command of program.commands) visit(command, command.name());
}
