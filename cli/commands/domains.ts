import { pc } from "../output/colors.js";
import { DeployError } from "../../core/protocol/errors.js";
import { dnsWarning, domainAddedLine, domainLabel, domainsTable } from "../output/domains.js";
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

interface AddOptions extends Omit<ChangeOptions, "wait"> {
	/** Issue 14: `--wait 60s` (the default) bounds the wait for the certificate; `--no-wait` is false. */
	wait?: string | false;
}

function target(options: TargetOptions): { app?: string; server?: string } {
	return { ...(options.app ? { app: options.app } : {}), ...(options.server ? { server: options.server } : {}) };
}

/**
 * `deploy domains add <domain>`: routed at once; a DNS record still missing is a warning,
 * not a failure. Issue 14: then waits (up to --wait) for the certificate and says what
 * is true; a refused certificate exits 1 (CERTIFICATE_FAILED) with the CA's error.
 */
export async function domainsAddCommand(domain: string, options: AddOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const waitSeconds = options.wait === false ? 0 : parseWait(options.wait ?? DEFAULT_WAIT);
		const result = await context.api.domains.add(
			{ ...target(options), domain, dnsCheck: options.dnsCheck !== false, wait: options.wait !== false, certificateWaitSeconds: waitSeconds },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		context.print({ type: "result", ...result }, () => {
			const name = domainLabel(result.domain, result.unicode);
			if (!result.changed) {
				return `${name} is ${result.app}'s already (${result.source === "config" ? "from deploy.yaml" : "added before"}); nothing changed\n${domainAddedLine(result)}`;
			}
			const warning = dnsWarning(result.dns);
			if (warning) process.stderr.write(`${warning}\n`);
			return domainAddedLine(result);
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

const DEFAULT_WAIT = "60s";

/** `--wait`: seconds (`90`, `90s`) or minutes (`2m`), at most 10 minutes; anything else changes nothing. */
function parseWait(text: string): number {
	const match = /^([0-9]{1,4})(s|m)?$/.exec(text.trim());
	const seconds = match ? Number(match[1]) * (match[2] === "m" ? 60 : 1) : Number.NaN;
	if (!(seconds >= 0 && seconds <= 600)) {
		throw new DeployError("BAD_ARGUMENT", `--wait ${JSON.stringify(text)} is not a wait of 0 to 10 minutes.`, "Give seconds or minutes, like --wait 90s or --wait 2m; --no-wait returns at once.");
	}
	return seconds;
}
