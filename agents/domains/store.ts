import { join } from "node:path";
import * as z from "zod";
import { DeployError } from "../../core/protocol/index.js";
import { domainName } from "../../core/protocol/domains.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";
import { readTextIfExists } from "../fs/read-if-exists.js";

/**
 * apps/<app>/domains.json: the domains `deploy domains add` gave the app. Kept beside
 * the app's state, not in a release, so they survive deploys, rollbacks and agent
 * restarts; deploy.yaml's domains travel in each release's spec instead.
 */
const addedDomainsFile = z.object({
	version: z.literal(1),
	domains: z.array(z.object({ name: domainName, addedAt: z.string() })),
});
export type AddedDomain = z.infer<typeof addedDomainsFile>["domains"][number];

export function addedDomainsPath(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "domains.json");
}

export async function readAddedDomains(home: AgentHome, app: string): Promise<AddedDomain[]> {
	const path = addedDomainsPath(home, app);
	const text = await readTextIfExists(path);
	if (text === null) return [];
	const parsed = addedDomainsFile.safeParse(JSON.parse(text));
	if (!parsed.success) throw new DeployError("STATE_CORRUPT", `${path} is not a valid list of domains.`, "Fix or delete the file, then run `deploy domains add` again.");
	return parsed.data.domains;
}

export async function writeAddedDomains(home: AgentHome, app: string, domains: readonly AddedDomain[]): Promise<void> {
	await writeJsonAtomic(addedDomainsPath(home, app), { version: 1, domains });
}
