import { DeployError, type ServerSetup, serverSetup } from "../../core/protocol/index.js";
import { readTextIfExists } from "../fs/read-if-exists.js";
import type { AgentHome } from "../home.js";

/** server.json, as `setup` stored it; null on a server never set up, an error when it cannot be read. */
export async function readServerSetup(home: AgentHome): Promise<ServerSetup | null> {
	const text = await readTextIfExists(home.serverJson).catch(() => null);
	if (text === null) return null;
	const parsed = serverSetup.safeParse(JSON.parse(text));
	if (!parsed.success) throw new DeployError("STATE_CORRUPT", `${home.serverJson} is not a valid server setup.`, "Run `deploy servers add` again.");
	return parsed.data;
}
