import type { Command } from "commander";

/** issue 6: the commands for preview deployments per branch. Only commander loads here; each action imports its module when it runs. */
export function registerPreviewsCommands(_program: Command): void {}
