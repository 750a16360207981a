// Issue 17, item 4: the dashboard the server's HTTPS API serves at `/` of its domain:
// the desktop's renderer build, shipped as content-addressed objects (the deploy's own
// objects.missing / objects.put) and put in place by `api.dashboard`, which names each
// file by its path and blob id. The same list gives the same folder: nothing is redone.
import * as z from "zod";
import { objectId } from "./names.js";

/** A file of the build: a plain relative path (no `..`, no hidden parts), at most 8 folders deep. */
export const dashboardPath = z
	.string()
	.max(300)
	.regex(/^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/){0,8}[A-Za-z0-9_][A-Za-z0-9_.-]*$/, "must be a relative path of the renderer build, like assets/index-1a2b3c4d.js");

export const dashboardFile = z.object({ path: dashboardPath, id: objectId });
export type DashboardFile = z.infer<typeof dashboardFile>;

export const dashboardMethods = {
	"api.dashboard": {
		/** The build's files; index.html among them. Their objects must be in the agent's store (objects.put) first. */
		params: z.object({
			files: z
				.array(dashboardFile)
				.min(1)
				.max(2000)
				.refine((files) => files.some((file) => file.path === "index.html"), "must include index.html")
				.refine((files) => new Set(files.map((file) => file.path)).size === files.length, "names a path twice"),
		}),
		result: z.object({
			/** sha256 of the sorted file list: the build's identity on the server. */
			version: z.string(),
			files: z.number().int(),
			/** False when the server served this very build already: nothing was written. */
			installed: z.boolean(),
		}),
	},
} as const satisfies Record<string, { params: z.ZodType; result: z.ZodType }>;
