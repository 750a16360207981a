import { createInterface } from "node:readline/promises";
import type { AddServerInput, ServerInfo } from "../../core/api/index.js";
import type { ProxyKind } from "../../core/protocol/index.js";
import { table } from "../output/human.js";
import { runCommand } from "../output/run.js";

interface AddOptions {
	json?: boolean;
	port: number;
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
}

export async function addCommand(name: string, destination: string, options: AddOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const input: AddServerInput = {
			name,
			destination,
			port: options.port,
			proxy: options.proxy,
			httpPort: options.httpPort,
			httpsPort: options.httpsPort,
			acceptNewHostKey: options.acceptNewHostKey === true,
			tls: options.tls !== false,
			...(options.identity ? { identityFile: options.identity } : {}),
			...(options.acmeCa ? { acmeCa: options.acmeCa } : {}),
			...(options.acmeCaRoot ? { acmeCaRoot: options.acmeCaRoot } : {}),
			...(options.acmeEmail ? { acmeEmail: options.acmeEmail } : {}),
		};
		const server = await context.api.servers.add(input, {
			onEvent: context.onEvent,
			signal: context.signal,
			// Trust on first use asks a person; a script must pass --accept-new-host-key.
			...(process.stdin.isTTY && !context.json ? { confirmHostKey: askToTrust(destination) } : {}),
		});
		context.print(server, () => `Added ${server.name} (${server.user}@${server.host}:${server.port}, proxy ${server.proxy}, host key ${server.hostKeyFingerprint}).`);
	});
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

export async function rmCommand(name: string, options: { json?: boolean }): Promise<void> {
	await runCommand(options, async (context) => {
		const result = await context.api.servers.remove({ name });
		context.print(result, () => `Removed ${name} from this machine. Its agent and apps keep running on the server.`);
	});
}
