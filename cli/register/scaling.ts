import type { Command } from "commander";
import { count } from "./arguments.js";

/** issue 7: the commands for auto-scaling, resource limits and doctor. Only commander loads here; each action imports its module when it runs. */
export function registerScalingCommands(program: Command): void {
	program
		.command("doctor")
		.description("check a server: SSH and host key, agent, proxy, resource-limit enforcement, disk, Node and clock (exit 1 when a check fails)")
		.option("-s, --server <name>", "the server (default: the app's in this folder, else the only one)")
		.option("--json", "print one JSON document")
		.action(async (options) => (await import("../commands/doctor.js")).doctorCommand(options));

	const autoscale = program.command("autoscale").description("the autoscaler's decisions and each process's policy (set it in deploy.yaml: processes.<name>.autoscale)");
	autoscale
		.command("log")
		.description("the app's scaling decisions with their reasons, oldest first")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("-s, --server <name>", "the server")
		.option("-n, --limit <count>", "how many of the newest decisions", count, 50)
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/autoscale.js")).autoscaleLogCommand(options));
	autoscale
		.command("status")
		.description("each process: autoscale min/max, limits and how they are enforced, the last decision")
		.option("-a, --app <name>", "the app (default: the one in this folder; every app when there is none)")
		.option("-s, --server <name>", "the server")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/autoscale.js")).autoscaleStatusCommand(options));
}
