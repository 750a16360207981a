import type { ServerSetupSummary } from "../../api/types.js";
import type { SetUpServer } from "./setup-server.js";

export function setupSummary(done: SetUpServer): ServerSetupSummary {
	return {
		privilege: done.privilege,
		os: `${done.facts.os.prettyName || `${done.facts.os.id} ${done.facts.os.versionId}`} (${done.facts.machine})`,
		node: { version: `v${done.runtime.version}`, installed: done.runtime.state === "installed" },
		proxy: { ...done.system.proxy, running: done.proxyVersion },
		boot: done.system.boot,
		firewall: done.system.firewall,
	};
}
