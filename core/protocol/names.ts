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

/**
 * A folder of the release named in the spec (static.dir): relative, with no `..`
 * part. The one rule for deploy.yaml and for the agent, which checks it again on
 * every deploy: a modified client must not name a folder outside the release.
 */
export const projectFolder = z
	.string()
	.min(1, "must not be empty")
	.regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$)).+$/, "must be a folder inside the project, like dist (relative, no ..)");

/**
 * Issue 12: where a server downloads Node.js or a proxy from: http(s), without a trailing
 * slash. No user or password in it: the URL travels in command lines on the server (curl's)
 * and in step messages, where anyone who can list processes or read the output would see them.
 */
export const mirrorUrl = z
	.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
	.max(2000)
	.refine((url) => !/^https?:\/\/[^/]*@/i.test(url), { message: "must not carry a user name or password (they would show in process lists and logs on the server)" })
	.transform((url) => url.replace(/\/+$/, ""));
