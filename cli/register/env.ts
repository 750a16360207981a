import type { Command } from "commander";

/** issue 7: the commands for encrypted environment variables. Only commander loads here; each action imports its module when it runs. */
export function registerEnvCommands(_program: Command): void {}
