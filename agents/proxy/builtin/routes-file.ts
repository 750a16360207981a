import * as z from "zod";
import { DeployError } from "../../../core/protocol/index.js";
import { writeJsonAtomic } from "../../fs/atomic-write.js";
import type { AppRoute } from "../driver.js";
import { appRoute, sortRoutes } from "../route.js";
import { readTextIfExists } from "../../fs/read-if-exists.js";

/** builtin-routes.json, versioned because it outlives agent upgrades. */
const routesFile = z.object({ version: z.literal(1), routes: z.array(appRoute) });

export async function loadBuiltinRoutes(path: string): Promise<AppRoute[]> {
	const text = await readTextIfExists(path);
	if (text === null) return [];
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	const result = routesFile.safeParse(parsed);
	// A corrupt route file must fail loudly: serving with an empty table would take every app offline silently.
	if (!result.success) {
		throw new DeployError(
			"PROXY_STATE_CORRUPT",
			`The proxy's route file ${path} cannot be read.`,
			"Fix or delete the file, then redeploy the apps to recreate their routes.",
			result.error.issues.map((issue) => `${issue.path.join("/") || "(root)"}: ${issue.message}`),
		);
	}
	return sortRoutes(result.data.routes);
}

export async function saveBuiltinRoutes(path: string, routes: readonly AppRoute[]): Promise<void> {
	await writeJsonAtomic(path, { version: 1, routes });
}
