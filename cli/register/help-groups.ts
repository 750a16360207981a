import type { Command } from "commander";

/**
 * The headings `deploy --help` lists the commands under, in this order: what a person
 * does to an app, to a server, to its settings, and how they look at what runs. A
 * command missing here would be listed under commander's "Commands:" (a test fails).
 */
export const COMMAND_GROUPS: Record<string, readonly string[]> = {
	"Apps:": ["deploy", "preview", "rollback", "cancel", "scale", "rm", "redeploy", "git-remote", "hooks"],
	"Servers:": ["servers", "doctor", "cache"],
	"Config:": ["init", "env", "domains"],
	"Observe:": ["ls", "logs", "ps", "metrics", "alerts", "autoscale", "ui"],
	"Team:": ["team", "whoami", "audit", "keys"],
};

/**
 * Puts each top-level command under its heading. Commander lists the headings in the
 * order their first command was registered, so program.ts registers `deploy`, then
 * `servers`, before the rest. Call after every command is registered.
 */
export function groupCommands(program: Command): void {
	const headingOf = new Map(Object.entries(COMMAND_GROUPS).flatMap(([heading, names]) => names.map((name) => [name, heading] as const)));
	for (const command of program.commands) {
		const heading = headingOf.get(command.name());
		if (heading) command.helpGroup(heading);
	}
	// Last, under a heading of its own; `deploy help a b` is routed in route-argv.ts.
	program.commandsGroup("Help:").helpCommand("help [command...]", "a command's options and examples, e.g. `deploy help servers add`");
}
