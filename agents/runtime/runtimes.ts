// Issue 12: the Node.js runtimes under <home>/runtimes: the agent's own (runtimes/agent
// points at it) and those apps asked for, shared between apps and kept while a kept
// release of any app names it.
import { readdir, readlink, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { AGENT_RUNTIME_LINK, DEFAULT_NODE_MIRROR, INSTALL_NODE_SCRIPT, type NodeArch, parseRuntimeMarker, RUNTIMES_DIR, runtimeFolder, VERIFIED_MARKER } from "../../core/protocol/runtime.js";
import { runtimeInstallError } from "../../core/protocol/runtime-errors.js";
import type { AgentHome } from "../home.js";

export class NodeRuntimes {
	readonly dir: string;
	readonly arch: NodeArch = process.arch === "arm64" ? "arm64" : "x64";
	readonly #installing = new Map<string, Promise<void>>();
	/** Versions deploys in flight use: one still building has no release spec naming it yet. */
	readonly #held = new Map<string, number>();

	constructor(home: AgentHome) {
		this.dir = join(home.root, RUNTIMES_DIR);
	}

	/**
	 * Whether the agent runs on a runtime of its own (installed by `servers add`): only
	 * then does it install runtimes for apps. An agent on the machine's Node (`deploy
	 * preview`, a server set up before issue 12) builds and runs apps with that Node.
	 */
	get managed(): boolean {
		return process.execPath.startsWith(`${this.dir}/`);
	}

	/** The agent's own version, without the "v". */
	get agentVersion(): string {
		return process.version.slice(1);
	}

	/** Versions unpacked and verified here. */
	async installed(): Promise<string[]> {
		const names = await readdir(this.dir).catch(() => [] as string[]);
		const suffix = `-linux-${this.arch}`;
		return names.filter((name) => name.startsWith("node-v") && name.endsWith(suffix) && existsSync(join(this.dir, name, VERIFIED_MARKER))).map((name) => name.slice(6, -suffix.length));
	}

	/** Keeps a version from being pruned until the returned function is called (the deploy ended). */
	hold(version: string): () => void {
		this.#held.set(version, (this.#held.get(version) ?? 0) + 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const left = (this.#held.get(version) ?? 1) - 1;
			if (left > 0) this.#held.set(version, left);
			else this.#held.delete(version);
		};
	}

	/** The bin folder to put first on PATH for this version. */
	binDir(version: string): string {
		return join(this.dir, runtimeFolder(version, this.arch), "bin");
	}

	/** Installs the version (checksum-verified, atomic) unless it is there; one install per version at a time. */
	ensure(version: string, mirror = DEFAULT_NODE_MIRROR): Promise<void> {
		const running = this.#installing.get(version);
		if (running) return running;
		const install = this.#install(version, mirror).finally(() => this.#installing.delete(version));
		this.#installing.set(version, install);
		return install;
	}

	async #install(version: string, mirror: string): Promise<void> {
		const run = await execa("/bin/sh", ["-c", INSTALL_NODE_SCRIPT, "install-node", mirror, version, this.arch, this.dir], { reject: false, all: true, timeout: 15 * 60_000 });
		const output = String(run.all ?? "");
		const marker = parseRuntimeMarker(output);
		if (run.exitCode === 0 && (marker?.kind === "installed" || marker?.kind === "present")) return;
		throw runtimeInstallError(marker, version, mirror, output.split("\n").filter(Boolean).slice(-10));
	}

	/** Removes runtimes no kept release uses and that are not the agent's; returns their versions. */
	async prune(inUse: ReadonlySet<string>): Promise<string[]> {
		const agentTarget = await readlink(join(this.dir, AGENT_RUNTIME_LINK)).catch(() => null);
		const removed: string[] = [];
		for (const version of await this.installed()) {
			if (this.#held.has(version) || inUse.has(version) || version === this.agentVersion || runtimeFolder(version, this.arch) === agentTarget) continue;
			await rm(join(this.dir, runtimeFolder(version, this.arch)), { recursive: true, force: true });
			removed.push(version);
		}
		return removed;
	}
}
