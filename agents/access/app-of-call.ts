// Issue 16: which app a call is about, and the production app behind a preview: the
// access rules scope a preview by the app it previews.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { MethodName } from "../../core/protocol/methods.js";
import { type AgentHome, appPaths } from "../home.js";
import { parsePreviewFile, previewFilePath } from "../previews/marker.js";
import { appOfHook } from "../hooks/store.js";

export interface CallApp {
	/** The app named (a preview app's own name); null when the call names none. */
	app: string | null;
	/** The production app a preview app previews; null for a production app. */
	previewOf: string | null;
}

export function appOfCall(home: AgentHome, method: MethodName, params: Record<string, unknown>): CallApp {
	if (method === "deploy" || method === "git.remote" || method === "hooks.add") {
		const spec = params.app as { name: string; preview?: { of: string } } | undefined;
		const name = spec?.name ?? (params.specRef as { app: string } | undefined)?.app ?? null;
		if (!spec?.preview || !name) return { app: name, previewOf: name && previewOf(home, name) };
		// The preview's name is the client's to make: a spec that calls itself a preview counts as one only when no
		// other app has that name already (else a member could turn another team's production app into "a preview").
		const taken = appExists(home, name) && previewOf(home, name) !== spec.preview.of;
		return { app: name, previewOf: taken ? null : spec.preview.of };
	}
	if (method.startsWith("team.")) return { app: null, previewOf: null };
	const app = method === "deployments.remove" ? appOfDeployment(home, String(params.id)) : method === "hooks.remove" ? appOfHook(home.root, String(params.id)) : typeof params.app === "string" ? params.app : null;
	return { app, previewOf: app && previewOf(home, app) };
}

/** The app a preview app previews (its apps/<app>/preview.json); null for any other. */
export function previewOf(home: AgentHome, app: string): string | null {
	let text: string;
	try {
		text = readFileSync(previewFilePath(home, app), "utf8");
	} catch {
		return null;
	}
	return parsePreviewFile(text)?.of ?? null;
}

export const appExists = (home: AgentHome, app: string) => existsSync(appPaths(home, app).dir);

function appOfDeployment(home: AgentHome, id: string): string | null {
	let apps: string[];
	try {
		apps = readdirSync(home.apps);
	} catch {
		return null;
	}
	return apps.find((app) => existsSync(join(appPaths(home, app).deployments, `${id}.json`))) ?? null;
}
