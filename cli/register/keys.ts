import { type Command, InvalidArgumentError, Option } from "commander";
const appList = (value: string): string[] => {
	const apps = value.split(",").map((a) => a.trim()).filter(Boolean);
	if (apps.length === 0) throw new InvalidArgumentError("name at least one app, like --apps shop,blog.");
	return apps;
};

/** Issue 17: `keys create/ls/revoke` and `servers api enable/disable/status`. Only commander loads here. */
export function registerKeysCommands(program: Command): void {
	const keys = program.command("keys").description("API keys for CI and scripts: the server's HTTPS API with `Authorization: Bearer dp_…`, no SSH key");
	keys
		.command("create")
		.description("make a key for one team, printed once (the server keeps only its hash)")
		.argument("<name>", "the key's name, e.g. ci")
		.requiredOption("--team <team>", "the team the key acts in")
		.addOption(new Option("--scope <scope>", "read: look only; deploy: deploy, roll back; write: + env, domains, scale; admin: + members and keys").choices(["read", "deploy", "write", "admin"]).makeOptionMandatory())
		.option("--apps <apps>", "only these apps of the team (comma-separated; default: all of the team's)", appList)
		.option("--expires <duration>", "expire after this long, e.g. 90d (default: never)")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON (the key included, once)")
		.action(async (name: string, options) => (await import("../commands/keys.js")).keysCreateCommand(name, options));
	keys
		.command("ls")
		.description("the keys of the teams you own: name, team, scope, apps, created, expires, last used (never the key)")
		.option("-s, --server <name>", "the server")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/keys.js")).keysLsCommand(options));
	keys
		.command("revoke")
		.description("revoke a key: refused from its next request on")
		.argument("<name>", "the key's name")
		.option("--team <team>", "the key's team (default: the team of the one key of that name)")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (name: string, options) => (await import("../commands/keys.js")).keysRevokeCommand(name, options));

	const servers = program.commands.find((command) => command.name() === "servers");
	if (!servers) throw new Error("register the servers command first");
	const api = servers.command("api").description("the server's HTTPS API (off by default): the agent's methods at https://<domain>/api/v1, for API keys and logins, and the dashboard at https://<domain>/");
	api
		.command("enable")
		.description("serve the API and the dashboard at https://<domain> through the server's proxy (a certificate from its ACME CA, as a custom domain gets); the dashboard's build goes along, only its files the server lacks")
		.argument("<server>", "the server")
		.requiredOption("--domain <domain>", "the domain, pointed at the server")
		.option("--json", "print JSON")
		.action(async (server: string, options) => (await import("../commands/keys.js")).apiEnableCommand(server, options));
	api
		.command("disable")
		.description("stop serving the API (keys stay, unused)")
		.argument("<server>", "the server")
		.option("--json", "print JSON")
		.action(async (server: string, options) => (await import("../commands/keys.js")).apiDisableCommand(server, options));
	api
		.command("status")
		.description("whether the API is served, where, and the dashboard's address teammates open")
		.argument("<server>", "the server")
		.option("--json", "print JSON")
		.action(async (server: string, options) => (await import("../commands/keys.js")).apiStatusCommand(server, options));
}
