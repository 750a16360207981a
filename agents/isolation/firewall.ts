// Issue 13: a second wall behind HOST=127.0.0.1. An app that ignores HOST and listens
// on every address would be reachable on its instance port from outside, past the
// proxy's TLS, headers and metrics. Where nftables (else iptables) exists, the system
// install's agent drops new TCP connections to its instances' ports that do not come
// in on the loopback interface. Only the ports of instances: no other service of the
// machine is touched, and only connection attempts (a bare SYN): replies to the
// machine's own outgoing connections, which may use any port, pass.
import { execa } from "execa";

export type FirewallTool = "nftables" | "iptables";

export const NFT_TABLE = "deploy_instances";
export const IPTABLES_CHAIN = "DEPLOY-INSTANCES";

/**
 * The whole nft table with these ports, as one script `nft -f` applies atomically.
 * `add` then `delete` makes the delete safe when the table is not there yet.
 */
export function nftRuleset(ports: number[]): string {
	const elements = ports.length > 0 ? `\n\t\telements = { ${[...new Set(ports)].sort((a, b) => a - b).join(", ")} }` : "";
	return `add table inet ${NFT_TABLE}
delete table inet ${NFT_TABLE}
table inet ${NFT_TABLE} {
	set ports {
		type inet_service${elements}
	}
	chain input {
		type filter hook input priority -10; policy accept;
		iifname "lo" accept
		tcp dport @ports tcp flags & (syn | ack) == syn drop
	}
}
`;
}

/** nft's argv to add or remove one port of the set. */
export function nftPort(action: "add" | "delete", port: number): string[] {
	return [action, "element", "inet", NFT_TABLE, "ports", `{ ${port} }`];
}

/** The rule of one port in our chain: a connection attempt from anywhere but loopback is dropped. */
export function iptablesPortRule(port: number): string[] {
	return ["!", "-i", "lo", "-p", "tcp", "--syn", "--dport", String(port), "-j", "DROP"];
}

/** iptables' (and ip6tables') argv lists that make our chain hold exactly these ports, jumped to first from INPUT. `-N` fails when it exists: fine. */
export function iptablesSync(ports: number[]): { argv: string[]; mayFail?: boolean }[] {
	return [
		{ argv: ["-N", IPTABLES_CHAIN], mayFail: true },
		{ argv: ["-F", IPTABLES_CHAIN] },
		...[...new Set(ports)].sort((a, b) => a - b).map((port) => ({ argv: ["-A", IPTABLES_CHAIN, ...iptablesPortRule(port)] })),
	];
}

/** The argv lists a purge runs: the jump, then the chain. */
export function iptablesRemove(): string[][] {
	return [
		["-D", "INPUT", "-j", IPTABLES_CHAIN],
		["-F", IPTABLES_CHAIN],
		["-X", IPTABLES_CHAIN],
	];
}

/**
 * The rules of one machine's instance ports. Changes run one at a time, in order; a
 * failure is logged, never thrown at a deploy (HOST=127.0.0.1 still holds).
 */
export class InstanceFirewall {
	#chain: Promise<unknown> = Promise.resolve();

	constructor(
		readonly tool: FirewallTool,
		/** nft; or iptables, then ip6tables where it exists. */
		readonly binaries: string[],
		private readonly log: (line: string) => void,
	) {}

	/** Rewrites the rules for exactly these ports (at daemon start: those of state.json). */
	sync(ports: number[]): Promise<void> {
		return this.#serial(async () => {
			if (this.tool === "nftables") return this.#run(this.binaries[0]!, ["-f", "-"], nftRuleset(ports));
			for (const binary of this.binaries) {
				for (const step of iptablesSync(ports)) await this.#run(binary, step.argv, undefined, step.mayFail);
				const jumps = await execa(binary, ["-C", "INPUT", "-j", IPTABLES_CHAIN], { reject: false });
				if (jumps.exitCode !== 0) await this.#run(binary, ["-I", "INPUT", "1", "-j", IPTABLES_CHAIN]);
			}
		});
	}

	add(port: number): Promise<void> {
		return this.#serial(async () => {
			if (this.tool === "nftables") return this.#run(this.binaries[0]!, nftPort("add", port));
			for (const binary of this.binaries) {
				const present = await execa(binary, ["-C", IPTABLES_CHAIN, ...iptablesPortRule(port)], { reject: false });
				if (present.exitCode !== 0) await this.#run(binary, ["-A", IPTABLES_CHAIN, ...iptablesPortRule(port)]);
			}
		});
	}

	remove(port: number): Promise<void> {
		return this.#serial(async () => {
			if (this.tool === "nftables") return this.#run(this.binaries[0]!, nftPort("delete", port), undefined, true);
			for (const binary of this.binaries) await this.#run(binary, ["-D", IPTABLES_CHAIN, ...iptablesPortRule(port)], undefined, true);
		});
	}

	/** Takes every rule of ours away (a purge). */
	removeAll(): Promise<void> {
		return this.#serial(async () => {
			if (this.tool === "nftables") return this.#run(this.binaries[0]!, ["delete", "table", "inet", NFT_TABLE], undefined, true);
			for (const binary of this.binaries) for (const argv of iptablesRemove()) await this.#run(binary, argv, undefined, true);
		});
	}

	async #run(binary: string, argv: string[], input?: string, mayFail = false): Promise<void> {
		const result = await execa(binary, argv, { reject: false, ...(input !== undefined ? { input } : {}) });
		if (result.exitCode !== 0 && !mayFail) this.log(`instance firewall: ${binary} ${argv.join(" ")}: ${String(result.stderr).trim() || `exit code ${result.exitCode}`}`);
	}

	#serial(work: () => Promise<void>): Promise<void> {
		const run = this.#chain.then(work);
		this.#chain = run.catch(() => undefined);
		return run;
	}
}
