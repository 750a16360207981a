import { type Command, InvalidArgumentError, Option } from "commander";

/** A comma-separated list of app names (`--apps shop,blog`). */
const appList = (value: string): string[] => {
	const apps = value.split(",").map((a) => a.trim()).filter(Boolean);
	if (apps.length === 0) throw new InvalidArgumentError("name at least one app, like --apps shop,blog.");
	return apps;
};

/** Issue 16: `team create/add/ls/set/rm`, `whoami`, `audit`. Only commander loads here; each action imports its module when it runs. */
export function registerTeamCommands(program: Command): void {
	const role = () => new Option("--role <role>", "the member's role in the team").choices(["member", "admin", "owner"]);
	const team = program.command("team").description("teams and members of a server: each member deploys with their own SSH key, the server enforces their role");
	team
		.command("create")
		.description("create a team on the server (its creator, the server's owner, owns it)")
		.argument("<name>", "the team's name")
		.option("--apps <apps>", "give these existing apps to the team (comma-separated)", appList)
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (name: string, options) => (await import("../commands/team.js")).teamCreateCommand(name, options));
	team
		.command("add")
		.description("add a member with their public key (installed on the server with a forced command: it can only speak the agent's protocol)")
		.argument("<member>", "the member's name on the server")
		.requiredOption("--team <team>", "the team")
		.addOption(role().default("member"))
		.option("--key <file>", "the member's public key file (e.g. alice.pub); needed the first time they are added, unless --email is given")
		.option("--email <address>", "a login to the server's HTTPS API and dashboard: prints a one-time invite link to set a password")
		.option("--invite-expires <duration>", "how long the invite link works (default 72h, at most 30d)")
		.option("--apps <apps>", "only these apps of the team (comma-separated; default: all of the team's)", appList)
		.option("--can-deploy-production", "a member may deploy and roll back production too")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (id: string, options) => (await import("../commands/team.js")).teamAddCommand(id, options));
	team
		.command("invite")
		.description("a new one-time link for a member's login to the HTTPS API (the previous one stops working)")
		.argument("<member>", "the member's name on the server")
		.option("--team <team>", "the team you own them in (default: their only one)")
		.option("--email <address>", "set or change the address they log in with")
		.option("--expires <duration>", "how long the link works (default 72h, at most 30d)")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON (the token and link included, once)")
		.action(async (id: string, options) => (await import("../commands/team.js")).teamInviteCommand(id, options));
	team
		.command("ls")
		.description("the teams you can see: members, roles, apps, key fingerprints, last seen")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (options) => (await import("../commands/team.js")).teamLsCommand(options));
	team
		.command("set")
		.description("change a member's role, apps or production right (takes effect on their next command)")
		.argument("<member>", "the member")
		.option("--team <team>", "the team (default: the member's only one)")
		.addOption(role())
		.option("--apps <apps>", "only these apps of the team (comma-separated)", appList)
		.option("--all-apps", "every app of the team")
		.option("--can-deploy-production", "a member may deploy and roll back production too")
		.option("--no-can-deploy-production", "a member may not deploy production")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (id: string, options) => (await import("../commands/team.js")).teamSetCommand(id, options));
	team
		.command("rm")
		.description("remove a member (and their key, at once: what they have open ends), or only from one team with --team")
		.argument("<member>", "the member")
		.option("--team <team>", "remove them from this team only")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (id: string, options) => (await import("../commands/team.js")).teamRmCommand(id, options));
	program
		.command("whoami")
		.description("who the server thinks you are: your teams and roles")
		.option("-s, --server <name>", "the server")
		.option("--json", "print JSON")
		.action(async (options) => (await import("../commands/team.js")).whoamiCommand(options));
	program
		.command("audit")
		.description("the server's audit log: who did what, when, with what result")
		.option("-a, --app <name>", "only this app")
		.option("--since <duration>", "only entries this recent, e.g. 7d, 12h")
		.option("-n, --limit <count>", "how many of the newest entries", (v) => Number(v), 1000)
		.option("-s, --server <name>", "the server")
		.option("--json", "print one JSON array")
		.action(async (options) => (await import("../commands/audit.js")).auditCommand(options));
}
