import { pc } from "../output/colors.js";
import { dnsWarning, domainLabel, domainsTable } from "../output/domains.js";
import { runCommand } from "../output/run.js";

interface TargetOptions {
	json?: boolean;
	app?: string;
	server?: string;
}

interface ChangeOptions extends TargetOptions {
	/** commander's --no-wait */
	wait?: boolean;
	/** commander's --no-dns-check */
	dnsCheck?: boolean;
}

function target(options: TargetOptions): { app?: string; server?: string } {
	return { ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) };
}

/** `deploy domains add <domain>`: routed at once; a DNS record still missing is a warning, not a failure. */
export async function domainsAddCommand(domain: string, options: ChangeOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.domains.add(
			{ ...target(options), domain, dnsCheck: options.dnsCheck !== false, wait: options.wait !== false },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		context.print({ type: "result", ...result }, () => {
			const name = domainLabel(result.domain, result.unicode);
			if (!result.changed) {
				return `${name} is ${result.app}'s already (${result.source === "config" ? "from deploy.yaml" : "added before"}); nothing changed`;
			}
			const warning = dnsWarning(result.dns);
			if (warning) process.stderr.write(`${warning}\n`);
			return `${pc.green("✔")} ${result.app} answers on ${name} (on ${result.server}, no redeploy)`;
		});
	});
}

/** `deploy domains ls`: one row per domain; one JSON document with --json. */
export async function domainsLsCommand(options: ChangeOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const list = await context.api.domains.list({ ...target(options), dnsCheck: options.dnsCheck !== false }, { signal: context.signal });
		context.print(list, () =>
			list.domains.length === 0
				? `${list.app} has no custom domains; it answers on ${list.defaultHost}. Add one with \`deploy domains add app.example.com\`.`
				: domainsTable(list.domains),
		);
	});
}

/** `deploy domains rm <domain>`: the route drops it at once; the host then answers 404. */
export async function domainsRmCommand(domain: string, options: ChangeOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.domains.remove({ ...target(options), domain, wait: options.wait !== false }, { onEvent: context.onEvent, signal: context.signal });
		context.print({ type: "result", ...result }, () => `${pc.green("✔")} ${result.app} no longer answers on ${domainLabel(result.domain, result.unicode)}`);
	});
}
