import { createInterface } from "node:readline/promises";
import type { AddServerInput, ServerInfo, ServerSetupSummary } from "../../core/api/index.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { ProxyKind } from "../../core/protocol/index.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface AddOptions {
	json?: boolean;
	/** Absent: the ssh config's Port for the host, else 22. */
	port?: number;
	identity?: string;
	proxy: ProxyKind;
	httpPort: number;
	httpsPort: number;
	acceptNewHostKey?: boolean;
	/** commander's `--no-tls`: true unless given. */
	tls: boolean;
	acmeCa?: string;
	acmeCaRoot?: string;
	acmeEmail?: string;
	nodeMirror?: string;
	proxyMirror?: string;
}

export async function addCommand(name: string, destination: string, options: AddOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const input: AddServerInput = {
			name,
			destination,
			...(options.port !== undefined ? { port: options.port } : {}),
			proxy: options.proxy,
			httpPort: options.httpPort,
			httpsPort: options.httpsPort,
			acceptNewHostKey: options.acceptNewHostKey === true,
			tls: options.tls !== false,
			...(options.identity ? { identityFile: options.identity } : {}),
			...(options.acmeCa ? { acmeCa: options.acmeCa } : {}),
			...(options.acmeCaRoot ? { acmeCaRoot: options.acmeCaRoot } : {}),
			...(options.acmeEmail ? { acmeEmail: options.acmeEmail } : {}),
			...(options.nodeMirror ? { nodeMirror: options.nodeMirror } : {}),
			...(options.proxyMirror ? { proxyMirror: options.proxyMirror } : {}),
		};
		const server = await context.api.servers.add(input, {
			onEvent: context.onEvent,
			signal: context.signal,
			// Trust on first use asks a person; a script must pass --accept-new-host-key.
			...(process.stdin.isTTY && !context.json ? { confirmHostKey: askToTrust(destination) } : {}),
		});
		const joined = server.member?.member ? [`You are ${server.member.member} there: ${server.member.memberships.map((m) => `${m.role} in ${m.team}${m.apps ? ` (apps ${m.apps.join(", ")})` : ""}`).join("; ") || "in no team yet"}. Its owner set it up; nothing was installed or changed.`] : [];
		context.print(server, () => [`Added ${server.name} (${server.user}@${server.host}:${server.port}, proxy ${server.proxy}, host key ${server.hostKeyFingerprint}).`, ...joined, ...(server.setup ? setupLines(server.setup) : [])].join("\n"));
	});
}

export async function upgradeCommand(name: string, options: { json?: boolean; nodeMirror?: string; proxyMirror?: string }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.servers.upgrade(
			{ name, ...(options.nodeMirror ? { nodeMirror: options.nodeMirror } : {}), ...(options.proxyMirror ? { proxyMirror: options.proxyMirror } : {}) },
			{ onEvent: context.onEvent, signal: context.signal },
		);
		context.print(result, () => [`Upgraded ${result.name}.`, ...setupLines(result.setup)].join("\n"));
	});
}

/** What a person should keep from setting a server up: what runs, and whether it comes back after a reboot. */
function setupLines(setup: ServerSetupSummary): string[] {
	const proxy = `${setup.proxy.kind} ${setup.proxy.running ?? setup.proxy.version ?? ""}`.trim();
	return [`${setup.os}: agent on Node.js ${setup.node.version}, ${proxy}.`, `At boot: ${setup.boot.message}.`];
}

function askToTrust(destination: string) {
	return async (fingerprint: string): Promise<boolean> => {
		const prompt = createInterface({ input: process.stdin, output: process.stderr });
		try {
			process.stderr.write(`The authenticity of ${destination} can't be established.\nIts host key fingerprint is ${fingerprint}.\n`);
			const answer = await prompt.question("Trust it and pin it for every later connection? [y/N] ");
			return /^y(es)?$/i.test(answer.trim());
		} finally {
			prompt.close();
		}
	};
}

export async function lsCommand(options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const servers = await context.api.servers.list();
		context.print(servers, () =>
			servers.length === 0
				? "No servers yet. Add one with `deploy servers add <name> user@host`."
				: table(
						servers.map((s) => [s.name, `${s.user}@${s.host}:${s.port}`, s.proxy, `${s.httpPort}/${s.httpsPort}`, certificateAuthority(s), s.hostKeyFingerprint]),
						["NAME", "DESTINATION", "PROXY", "HTTP/HTTPS", "TLS CA", "HOST KEY"],
					),
		);
	});
}

/** Where a server's certificates come from, as `servers ls` shows it. */
function certificateAuthority(server: ServerInfo): string {
	if (!server.tls) return "off (--no-tls)";
	return server.acmeCa ?? "Let's Encrypt";
}

export async function rmCommand(name: string, options: { json?: boolean; purge?: boolean; yes?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		if (options.purge && !options.yes) await confirmPurge(name, context.json);
		const result = await context.api.servers.remove({ name, ...(options.purge ? { purge: true } : {}) }, { onEvent: context.onEvent, signal: context.signal });
		context.print(result, () =>
			result.purged
				? [`Purged ${name} and forgot it.`, ...result.purged.removed.map((what) => `  removed ${what}`), ...result.purged.kept.map((what) => `  kept ${what}`)].join("\n")
				: `Removed ${name} from this machine. Its agent and apps keep running on the server (\`deploy servers rm ${name} --purge\` removes them too).`,
		);
	});
}

/** A purge stops every app on the server: a person says yes to it, a script says --yes. */
async function confirmPurge(name: string, json: boolean): Promise<void> {
	if (!process.stdin.isTTY || json) {
		throw new DeployError("CONFIRMATION_REQUIRED", `--purge stops every app on ${name} and removes the agent, its runtime and its proxy.`, `Add --yes to do it without a question: \`deploy servers rm ${name} --purge --yes\`.`);
	}
	const prompt = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await prompt.question(`Stop every app on ${name} and remove the agent, its runtime, units and the proxy it installed? [y/N] `);
		if (!/^y(es)?$/i.test(answer.trim())) throw new DeployError("CANCELLED", "Nothing was removed.", `Without --purge, \`deploy servers rm ${name}\` only forgets the server here.`);
	} finally {
		prompt.close();
	}
}
