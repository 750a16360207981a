// Issue 17: whether the HTTPS API is on, and for which domain: api.json in the agent's
// home (absent: off, the default). The listener's port is chosen again at each start.
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod";
import { domainName } from "../../core/protocol/domains.js";
import { DeployError } from "../../core/protocol/errors.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";

const settings = z.object({ version: z.literal(1), domain: domainName });
export type ApiSettings = z.infer<typeof settings>;

export const apiSettingsPath = (homeRoot: string) => join(homeRoot, "api.json");

export async function readApiSettings(homeRoot: string): Promise<ApiSettings | null> {
	let text: string;
	try {
		text = await readFile(apiSettingsPath(homeRoot), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
		throw error;
	}
	const parsed = settings.safeParse(JSON.parse(text));
	if (!parsed.success) throw new DeployError("API_SETTINGS_INVALID", `${apiSettingsPath(homeRoot)} is not valid.`, "Run `deploy servers api enable <server> --domain <domain>` again, or `disable`.");
	return parsed.data;
}

export const writeApiSettings = (homeRoot: string, domain: string) => writeJsonAtomic(apiSettingsPath(homeRoot), { version: 1, domain } satisfies ApiSettings);

export const removeApiSettings = (homeRoot: string) => rm(apiSettingsPath(homeRoot), { force: true });
