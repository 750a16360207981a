// Issue 12: the agent's own Node.js on a server: the pinned LTS from the official dist
// (or a mirror of it), checked against SHASUMS256.txt, unpacked under the agent's home,
// and runtimes/agent pointed at it. The server's own Node, if any, is never touched.
import { join } from "node:path";
import type { RemoteHost } from "../../provider.js";
import { DeployError } from "../../protocol/errors.js";
import type { DeployEvent } from "../../protocol/index.js";
import { runtimeInstallError } from "../../protocol/runtime-errors.js";
import { AGENT_NODE_VERSION, INSTALL_NODE_SCRIPT, nodeArch, parseRuntimeMarker, RUNTIMES_DIR } from "../../protocol/runtime.js";
import { rootCommand } from "../shell.js";
import { missingTools } from "./checks.js";
import type { ServerFacts } from "./probe.js";

export interface RuntimeOutcome {
	version: string;
	state: "installed" | "present";
	/** Debian packages installed first for the download (recorded so a purge removes them). */
	packages: string[];
}

// The home is root's alone from its first moment, and so is everything the install makes
// in it, whatever the login's umask (issue 13). The Node.js inside keeps its release's
// own modes (tar as root); runtimes/ is closed until isolation opens it to the apps' users.
// $1: the install script, $2: the agent's home, then the script's own arguments.
const PREPARE_HOME = 'umask 077; script=$1; [ -d "$2" ] || mkdir -p -m 700 "$2"; shift 2; exec /bin/sh -c "$script" install-node "$@"';

export async function installAgentRuntime(host: RemoteHost, facts: ServerFacts, mirror: string, emit: (event: DeployEvent) => void): Promise<RuntimeOutcome> {
	const arch = nodeArch(facts.machine);
	if (!arch) throw new DeployError("UNSUPPORTED_SERVER", `No Node.js build for ${facts.machine}.`, "Use an x86_64 or aarch64 server.");
	const log = (line: string) => emit({ type: "log", step: "runtime", stream: "stdout", line });
	const packages = missingTools(facts);
	if (packages.length > 0) {
		if (!facts.apt) throw new DeployError("RUNTIME_TOOLS_MISSING", `The server lacks ${packages.join(" and ")} and has no apt-get to install them.`, `Install ${packages.join(" and ")} on the server and run the command again.`);
		log(`installing ${packages.join(", ")} (needed to download Node.js)`);
		const apt = await host.exec(rootCommand(APT_INSTALL, packages));
		if (apt.code !== 0) {
			throw new DeployError("PACKAGE_INSTALL_FAILED", `apt-get could not install ${packages.join(", ")}.`, "apt's last lines are shown with this error; check the server's package sources.", [...apt.stdout.split("\n").filter(Boolean).slice(-10), ...apt.stderr]);
		}
	}
	const runtimes = join(facts.home, RUNTIMES_DIR);
	const run = await host.exec(rootCommand(PREPARE_HOME, [INSTALL_NODE_SCRIPT, facts.home, mirror, AGENT_NODE_VERSION, arch, runtimes, "link"]));
	const marker = parseRuntimeMarker(run.stdout);
	if (run.code === 0 && (marker?.kind === "installed" || marker?.kind === "present")) return { version: AGENT_NODE_VERSION, state: marker.kind, packages };
	throw runtimeInstallError(marker, AGENT_NODE_VERSION, mirror, [...run.stdout.split("\n").filter(Boolean).slice(-5), ...run.stderr]);
}

const APT_INSTALL = `export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends "$@" || { apt-get update -q && apt-get install -y -q --no-install-recommends "$@"; }`;
