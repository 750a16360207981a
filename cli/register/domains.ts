import type { Command } from "commander";

/** issue 6: the commands for custom domains and their certificates. Only commander loads here; each action imports its module when it runs. */
export function registerDomainsCommands(program: Command): void {
	const domains = program.command("domains").description("the app's custom domains: DNS state and certificates");
	domains
		.command("add")
		.description("route a domain to the live app at once (no redeploy), then wait for its certificate; it stays across deploys and agent restarts")
		.argument("<domain>", "e.g. app.example.com (international names are converted to punycode)")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("-s, --server <name>", "the server")
		.option("--no-dns-check", "do not resolve the domain to see whether it points at the server")
		.option("--wait <duration>", "how long to wait for the certificate, e.g. 90s or 2m (at most 10m)", "60s")
		.option("--no-wait", "return at once (the certificate pending), and fail when a deploy of the app is running instead of waiting for it")
		.option("--json", "print JSON")
		.action(async (domain: string, options) => (await import("../commands/domains.js")).domainsAddCommand(domain, options));
	domains
		.command("ls")
		.description("the app's domains: where each comes from (deploy.yaml or added), its DNS state and its certificate")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("-s, --server <name>", "the server")
		.option("--no-dns-check", "do not resolve the domains")
		.option("--json", "print one JSON document")
		.action(async (options) => (await import("../commands/domains.js")).domainsLsCommand(options));
	domains
		.command("rm")
		.description("stop routing an added domain (deploy.yaml's domains are removed by editing deploy.yaml)")
		.argument("<domain>")
		.option("-a, --app <name>", "the app (default: the one in this folder)")
		.option("-s, --server <name>", "the server")
		.option("--no-wait", "fail at once when a deploy of the app is running, instead of waiting for it")
		.option("--json", "print JSON")
		.action(async (domain: string, options) => (await import("../commands/domains.js")).domainsRmCommand(domain, options));
}
