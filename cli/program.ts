// The `deploy` command line. Only commander loads with it: each command's module,
// and with it ssh2, SQLite, isomorphic-git and the rest, loads when it runs.
import { Command, Option } from "commander";
import { integer, port } from "./register/arguments.js";
import { registerDomainsCommands } from "./register/domains.js";
import { registerPreviewsCommands } from "./register/previews.js";
import { registerEnvCommands } from "./register/env.js";
import { registerScalingCommands } from "./register/scaling.js";
import { registerMetricsCommands } from "./register/metrics.js";
import { registerTeamCommands } from "./register/team.js";
import { registerKeysCommands } from "./register/keys.js";
import { registerGitCommands } from "./register/git.js";
import { registerHooksCommands } from "./register/hooks.js";
import { version } from "./version.js";
import { addExamples } from "./register/examples.js";
import { groupCommands } from "./register/help-groups.js";
import { addUsageHints } from "./register/usage-hints.js";
import { routeArgv, routeContext } from "./route-argv.js";


const program = new Command("deploy")
	.description("Deploy web apps to servers you own.\nIn a project folder, `deploy` puts the working tree live and prints its URL.")
	.usage("[folder] [options]\n       deploy <command> [options]")
	// A usage error (unknown option, bad value) is bad input: exit 2, as docs/cli.md says. Set before the subcommands, which inherit it.
	.exitOverride((error) => process.exit(error.exitCode === 1 ? 2 : error.exitCode))
	.version(version, "-v, --version")
	.showSuggestionAfterError()
	.enablePositionalOptions();

// `deploy [folder]` itself: route-argv.ts sends a bare `deploy`, or one followed by a folder or an option, here.
const deploy = program
	.command("deploy")
	.description("put a project folder live and print its URL (`deploy` alone: this folder)")
	// Its help shows how it is typed, not commander's `deploy deploy` (which works too).
	.configureHelp({ commandUsage: () => "deploy [folder] [options]" })
	.option("--json", "print JSON: events as JSON lines, the result last")
	.argument("[folder]", "the project folder: a path (./web, apps/web), or a folder that exists here", ".")
	.option("-s, --server <name>", "the server to deploy to")
	.option("-a, --app <name>", "the app name (default: from deploy.yaml or package.json)")
	.option("--no-wait", "fail at once (DEPLOY_IN_PROGRESS) when another deploy of the app is running, instead of waiting for it")
	// Issue 6: previews. Any branch other than the production one is a preview without the flag.
	.option("--preview", "deploy a preview: its own instances and URL <branch>-<app>.<domain>, production untouched")
	.option("--ttl <duration>", "how long the preview lives after this deploy, e.g. 3d, 12h (default: deploy.yaml's previews.ttl, else 7d)")
	// Issue 17: CI without an SSH key.
	.option("--api <url>", "deploy over the server's HTTPS API (`deploy servers api enable`) with the API key in $DEPLOY_TOKEN, no SSH")
	.action(async (dir: string, options) => (await import("./commands/deploy.js")).deployCommand(dir, options));

// Created here, its subcommands further down: the Servers heading comes second in `deploy --help` (help-groups.ts).
const servers = program.command("servers").description("the servers you deploy to");

program
	.command("preview")
	.description("run the same pipeline on this machine, offline, and print a local URL")
	.argument("[dir]", "the project folder", ".")
	.option("--port <port>", "the local proxy's port (default 4000, or $DEPLOY_PREVIEW_PORT)", port)
	.option("--stop", "stop what the preview runs in the background: its agent, its proxy and its apps (their releases stay)")
	.option("--json", "print JSON")
	.action(async (dir: string, options) => (await import("./commands/preview.js")).previewCommand(dir, options));

program
	.command("init")
	.description("write deploy.yaml from what the folder shows")
	.argument("[dir]", "the project folder", ".")
	.option("--force", "overwrite an existing deploy.yaml")
	.option("--json", "print JSON")
	.action(async (dir: string, options) => (await import("./commands/init.js")).initCommand(dir, options));

program
	.command("ls")
	.description("the app's deployments, newest first")
	.option("-a, --app <name>", "the app (default: the one in this folder; all apps when there is none)")
	.option("-s, --server <name>", "the server (`local` for previews)")
	.option("-n, --limit <count>", "how many", integer("the count"), 20)
	.option("--json", "print one JSON array")
	.action(async (options) => (await import("./commands/ls.js")).lsCommand(options));

program
	.command("logs")
	.description("the app's output")
	.option("-a, --app <name>", "the app (default: the one in this folder)")
	.option("-s, --server <name>", "the server (`local` for previews)")
	.option("-n, --lines <count>", "how many past lines (default 100; with --since alone, every line since)", integer("the count"))
	.option("-f, --follow", "keep printing new lines until Ctrl-C (with --build: until the deployment ends)")
	.option("--since <time>", "only lines from then on: an ISO time, or a duration back from now (10m, 2h, 1d)")
	.option("--grep <text>", "only lines containing the text (plain, case-insensitive)")
	.option("--instance <n>", "only one instance: its row in `deploy ps` (1 = first), or its port", integer("the instance"))
	// Issue 14: the build log of any kept deployment, not only the one just watched.
	.addOption(new Option("--build [deployment]", "instead, what a deployment's install and build printed (an id from `deploy ls`; default the newest)").conflicts(["since", "grep", "instance", "lines"]))
	.option("--json", "print JSON lines")
	.action(async (options) => (await import("./commands/logs.js")).logsCommand(options));

program
	.command("rollback")
	.description("make a kept release live again, without rebuilding (default: the one before the live one)")
	.argument("[deployment]", "the deployment to go back to (an id from `deploy ls`)")
	.option("-a, --app <name>", "the app (default: the one in this folder)")
	.option("-s, --server <name>", "the server")
	.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
	.option("--json", "print JSON: events as JSON lines, the result last")
	.action(async (deployment: string | undefined, options) => (await import("./commands/rollback.js")).rollbackCommand(deployment, options));

program
	.command("cancel")
	.description("stop the app's running deploy (building, or waiting for its turn); the live release keeps serving")
	.argument("[deployment]", "the deployment to cancel (default: the app's newest running one)")
	.option("-a, --app <name>", "the app (default: the one in this folder)")
	.option("-s, --server <name>", "the server")
	.option("--json", "print JSON")
	.action(async (deployment: string | undefined, options) => (await import("./commands/cancel.js")).cancelCommand(deployment, options));

const cache = program.command("cache").description("the server's dependency and build caches");
cache
	.command("clear")
	.description("empty the caches of the app (default: the one in this folder; every app when there is none)")
	.option("-a, --app <name>", "the app")
	.option("-s, --server <name>", "the server")
	.option("--json", "print JSON")
	.action(async (options) => (await import("./commands/cache.js")).cacheClearCommand(options));

program
	.command("ps")
	.description("the app's instances: status, pid, port, uptime, restarts, CPU, memory")
	.option("-a, --app <name>", "the app (default: the one in this folder; every app when there is none)")
	.option("-s, --server <name>", "the server (`local` for previews)")
	.option("--json", "print one JSON array")
	.action(async (options) => (await import("./commands/ps.js")).psCommand(options));

program
	.command("scale")
	.description("set how many instances of each process run, e.g. `deploy scale web=3 worker=1`")
	.argument("<counts...>", "process=count pairs")
	.option("-a, --app <name>", "the app (default: the one in this folder)")
	.option("-s, --server <name>", "the server")
	.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
	.option("--json", "print JSON: events as JSON lines, the result last")
	.action(async (counts: string[], options) => (await import("./commands/scale.js")).scaleCommand(counts, options));

servers
	.command("add")
	.description("set a bare Debian/Ubuntu server up (root or passwordless sudo): the agent's Node.js, the agent, the proxy, boot units, firewall; then remember it")
	.argument("<name>", "a short name for it, e.g. prod")
	.argument("<destination>", "user@host, or a Host alias of ~/.ssh/config (its HostName, User, Port, IdentityFile, ProxyJump apply)")
	.option("-p, --port <port>", "SSH port (default: the ssh config's Port, else 22)", port)
	.option("-i, --identity <file>", "SSH private key (default: ssh-agent, then the ssh config's IdentityFile, else ~/.ssh/id_*)")
	.addOption(new Option("--proxy <kind>", "the proxy that routes requests to apps").choices(["traefik", "caddy"]).default("traefik"))
	.option("--http-port <port>", "the proxy's HTTP port", port, 80)
	.option("--https-port <port>", "the proxy's HTTPS port", port, 443)
	.option("--acme-ca <url>", "the ACME directory certificates come from (default: Let's Encrypt)")
	.option("--acme-ca-root <file>", "a PEM file: the root that signs the ACME CA's own HTTPS endpoint (a private CA)")
	.option("--acme-email <address>", "the ACME account's contact address (expiry notices)")
	.option("--no-tls", "serve every host over plain HTTP: no certificates, no redirects (private networks, tests)")
	.option("--accept-new-host-key", "trust the server's host key on first contact without asking (like ssh's accept-new)")
	.option("--node-mirror <url>", "Node.js releases from this mirror (official dist layout) instead of nodejs.org; also DEPLOY_NODE_MIRROR")
	.option("--proxy-mirror <url>", "proxy release tarballs from this mirror (GitHub releases layout)")
	.option("--json", "print JSON: the steps as JSON lines, the server last")
	.action(async (name: string, destination: string, options) => (await import("./commands/servers.js")).addCommand(name, destination, options));
servers
	.command("upgrade")
	.description("bring the agent, its Node.js and a proxy it installed to this client's versions (apps keep serving); also repairs a half-set-up server")
	.argument("<name>")
	.option("--node-mirror <url>", "Node.js releases from this mirror (official dist layout); also DEPLOY_NODE_MIRROR")
	.option("--proxy-mirror <url>", "proxy release tarballs from this mirror (GitHub releases layout)")
	.option("--json", "print JSON: the steps as JSON lines, the result last")
	.action(async (name: string, options) => (await import("./commands/servers.js")).upgradeCommand(name, options));
servers
	.command("ls")
	.description("the servers you added")
	.option("--json", "print one JSON array")
	.action(async (options) => (await import("./commands/servers.js")).lsCommand(options));
servers
	.command("rm")
	.description("forget a server (what runs on it keeps running); with --purge, first remove everything `servers add` put on it")
	.argument("<name>")
	.option("--purge", "stop its apps and remove the agent, its runtime, units, the proxy it installed and its firewall rules")
	.option("-y, --yes", "with --purge: do not ask (needed when not on a terminal)")
	.option("--json", "print JSON")
	.action(async (name: string, options) => (await import("./commands/servers.js")).rmCommand(name, options));
servers
	.command("status")
	.description("is each server reachable, and how are its agent, proxy, disk and memory (exit 1 when one is unreachable)")
	.argument("[name]", "the server (default: every server)")
	.option("--json", "print one JSON array")
	.action(async (name: string | undefined, options) => (await import("./commands/servers-status.js")).statusCommand(name, options));

program
	.command("ui")
	.description("open the desktop's UI in your browser: served on 127.0.0.1 behind a random token, until Ctrl-C")
	.option("--port <port>", "the port to listen on (default: a free one)", port)
	.option("--no-open", "print the URL without opening a browser")
	.option("--json", "print the URL as JSON")
	.action(async (options) => (await import("./commands/ui.js")).uiCommand(options));

registerDomainsCommands(program);
registerPreviewsCommands(program);
registerEnvCommands(program);
registerScalingCommands(program);
registerMetricsCommands(program);
registerTeamCommands(program);
registerKeysCommands(program);
registerGitCommands(program);
registerHooksCommands(program);
groupCommands(program);
addExamples(program);
addUsageHints(program);

program.parseAsync(routeArgv(process.argv.slice(2), routeContext(program, deploy)), { from: "user" });
