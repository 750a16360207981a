import { basename } from "node:path";

/**
 * Makes a package or folder name into an app name (a DNS label): scope dropped,
 * lowercased, anything else than letters and digits turned into single dashes.
 * Returns null when nothing usable is left (a name of only symbols).
 */
export function toAppName(name: string): string | null {
	const unscoped = name.replace(/^@[^/]*\//, "");
	const label = unscoped
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-+/, "")
		.slice(0, 63)
		.replace(/-+$/, "");
	return label.length > 0 ? label : null;
}

/** Where the app's name came from, for the warning that says so. */
export interface NameChoice {
	app: string;
	warning: string | null;
}

/**
 * The app name when deploy.yaml has none: package.json's name, else the folder's.
 * Warns when the name had to be changed, so the URL is not a surprise.
 */
export function defaultAppName(packageName: string | undefined, dir: string): NameChoice | null {
	const folder = basename(dir);
	const candidates: [string, string][] = packageName ? [["package.json name", packageName]] : [];
	candidates.push(["folder name", folder]);
	for (const [source, raw] of candidates) {
		const app = toAppName(raw);
		if (!app) continue;
		const warning = app === raw ? null : `app name "${app}" derived from the ${source} "${raw}"; set \`app:\` in deploy.yaml to choose another`;
		return { app, warning };
	}
	return null;
}
