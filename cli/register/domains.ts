import type { Command } from "commander";

/** issue 6: the commands for custom domains and their certificates. Only commander loads here; each action imports its module when it runs. */
export function registerDomainsCommands(_program: Command): void {}
