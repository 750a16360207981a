import * as z from "zod";

/** An app name doubles as a folder, a host-name label and a proxy route id. */
export const appName = z
	.string()
	.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "must be lowercase letters, digits and dashes (a DNS label)");

/** A git blob id: what the content-addressed object store is keyed by. */
export const objectId = z.string().regex(/^[0-9a-f]{40}$/, "must be a 40-hex git blob id");

/** A deployment id, sortable by time: `d` + base36 millis + random suffix. */
export const deploymentId = z.string().regex(/^d[0-9a-z]{6,30}$/, "is not a deployment id");

/** A path inside the app's source tree: relative, POSIX, never escaping the tree. */
export const sourcePath = z
	.string()
	.min(1)
	.max(4096)
	.refine((p) => !p.startsWith("/") && !p.split("/").some((part) => part === ".." || part === "" || part === "."), {
		message: "must be a relative path inside the project",
	});
