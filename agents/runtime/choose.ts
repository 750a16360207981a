// Issue 12: the Node.js an app builds and runs on, decided before its build starts (the
// dependency and build caches are keyed by it) and installed when the server lacks it.
import satisfies from "semver/functions/satisfies.js";
import type { ManifestEntry } from "../../core/protocol/index.js";
import { DEFAULT_NODE_MIRROR } from "../../core/protocol/runtime.js";
import { buildNodeVersion } from "../build/node-version.js";
import type { ObjectStore } from "../objects/store.js";
import { fetchNodeIndex } from "./node-index.js";
import { type NodeRequest, nodeRequest } from "./request.js";
import { resolveNodeVersion } from "./resolve.js";
import type { NodeRuntimes } from "./runtimes.js";
import type { StepReporter } from "../deploy/steps.js";

export interface AppRuntime {
	/** The version, "v22.23.5": keys the caches, shown in the build log, `ps` and `ls`. */
	label: string;
	/** The managed runtime's version (22.23.5); null when apps run on the machine's own Node. */
	version: string | null;
	/** Put first on PATH for install, build and run; null: PATH as it is. */
	binDir: string | null;
	/** Lets the runtime be pruned again once the deploy that chose it ended. */
	release: () => void;
}

export async function chooseAppRuntime(
	runtimes: NodeRuntimes,
	store: ObjectStore,
	manifest: readonly ManifestEntry[],
	mirror: string | undefined,
	steps: StepReporter,
	onLine: (line: string) => void,
	/** Issue 14: a workspace's package: what it asks for first, else what the workspace root asks for. */
	root?: string,
): Promise<AppRuntime> {
	const request = (root ? nodeRequest(await requestFiles(store, manifest, `${root}/`)) : null) ?? nodeRequest(await requestFiles(store, manifest));
	if (!runtimes.managed) return machineNode(request, onLine);
	const facts = { agent: runtimes.agentVersion, installed: await runtimes.installed(), index: null };
	let resolution = resolveNodeVersion(request, facts);
	const from = mirror ?? DEFAULT_NODE_MIRROR;
	if ("needsIndex" in resolution) resolution = resolveNodeVersion(request, { ...facts, index: await fetchNodeIndex(from, runtimes.arch, runtimes.dir) });
	if ("needsIndex" in resolution) throw new Error("the Node.js index did not settle the choice");
	const { version } = resolution;
	const release = runtimes.hold(version);
	if (resolution.from === "download") {
		await steps.run("runtime", () => runtimes.ensure(version, from), () => `Node.js v${version} installed from ${from}, checksum-verified against its SHASUMS256.txt`).catch((error) => {
			release();
			throw error;
		});
	}
	const why = request ? `${request.source} asks for ${describe(request)}` : "no engines.node, .nvmrc or .node-version: the agent's LTS";
	onLine(`node: v${version} (${why})`);
	return { label: `v${version}`, version, binDir: runtimes.binDir(version), release };
}

/** An agent on the machine's Node: that Node builds and runs the app; a request it does not meet is said, not enforced. */
async function machineNode(request: NodeRequest | null, onLine: (line: string) => void): Promise<AppRuntime> {
	const label = await buildNodeVersion();
	if (request?.kind === "range" && !safeSatisfies(label, request.range)) {
		onLine(`warning: ${request.source} asks for Node.js "${request.range}" but this machine's node is ${label} (the agent installs runtimes only on servers set up by \`deploy servers add\`)`);
	}
	return { label, version: null, binDir: null, release: () => undefined };
}

function safeSatisfies(version: string, range: string): boolean {
	try {
		return satisfies(version, range);
	} catch {
		return false;
	}
}

function describe(request: NodeRequest): string {
	if (request.kind === "range") return `"${request.range}"`;
	return request.kind === "lts" ? `lts/${request.codename ?? "*"}` : "the latest release";
}

/** The files that name a version, read from the object store: the choice comes before the release folder exists. */
async function requestFiles(store: ObjectStore, manifest: readonly ManifestEntry[], folder = ""): Promise<{ packageJson: string | null; nvmrc: string | null; nodeVersion: string | null }> {
	const read = async (name: string) => {
		const entry = manifest.find((e) => e.path === folder + name);
		return entry ? (await store.read(entry.id).catch(() => null))?.toString("utf8") ?? null : null;
	};
	return { packageJson: await read("package.json"), nvmrc: await read(".nvmrc"), nodeVersion: await read(".node-version") };
}
