import type { Command } from "commander";

/** issue 7: the commands for metrics and alerts. Only commander loads here; each action imports its module when it runs. */
export function registerMetricsCommands(_program: Command): void {}
