// Issue 12: what `servers add`, `servers upgrade` and `servers rm --purge` ask the agent
// to do to the machine itself, as root: install the proxy, the boot units and the
// firewall openings, or take all of them away again. The client runs
// `agent.mjs system <install|purge|undo> <json>` over SSH (through sudo for a sudo login);
// the command prints events and then its result or error as JSON lines on stdout.
import * as z from "zod";
import { errorInfo } from "./error-info.js";
import { deployEvent } from "./events.js";
import { mirrorUrl } from "./names.js";
import { proxyKind } from "./spec.js";

const port = z.number().int().min(1).max(65535);

export const systemInstallInput = z.object({
	/** The SSH login that added the server: it may open the agent's socket without sudo. */
	owner: z.string().regex(/^[a-z_][a-z0-9_.-]{0,31}$/, "is not a user name"),
	proxy: proxyKind.exclude(["builtin"]),
	/** Where release tarballs of the proxy come from (the GitHub releases layout); default the project's own. */
	proxyMirror: mirrorUrl.optional(),
	httpPort: port,
	httpsPort: port,
	/** Debian packages the client installed before the agent could run (curl, xz-utils): recorded so a purge removes them. */
	packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/)).max(20).default([]),
});
export type SystemInstallInput = z.infer<typeof systemInstallInput>;

export const proxyInstall = z.object({
	kind: proxyKind,
	binary: z.string(),
	version: z.string().nullable(),
	/** package: the distribution's (apt); release: the project's release tarball, checksum-verified; found: there before us (never removed). */
	source: z.enum(["package", "release", "found"]),
});
export type ProxyInstall = z.infer<typeof proxyInstall>;

/** How the server comes back after a reboot. */
export const bootState = z.object({
	/** running: systemd is PID 1; offline: installed but not running (a container, a chroot); absent: no systemd. */
	systemd: z.enum(["running", "offline", "absent"]),
	/** The units that start at boot; empty when nothing will. */
	units: z.array(z.string()),
	/** What a person should know, e.g. that nothing starts at boot. */
	message: z.string(),
});
export type BootState = z.infer<typeof bootState>;

export const firewallState = z.object({
	tool: z.enum(["ufw", "firewalld"]).nullable(),
	/** The rules this install added (and a purge removes), as the tool names them. */
	opened: z.array(z.string()),
	message: z.string(),
});
export type FirewallState = z.infer<typeof firewallState>;

export const systemInstallResult = z.object({ proxy: proxyInstall, boot: bootState, firewall: firewallState });
export type SystemInstallResult = z.infer<typeof systemInstallResult>;

export const systemPurgeResult = z.object({
	/** What was removed, for a person: units, the proxy, packages, firewall rules, the agent's home. */
	removed: z.array(z.string()),
	/** What was left in place on purpose (a proxy that was there before us), with why. */
	kept: z.array(z.string()),
});
export type SystemPurgeResult = z.infer<typeof systemPurgeResult>;

/** Issue 14: what `system undo` took back after a failed first `servers add`, for a person. */
export const systemUndoResult = z.object({ undone: z.array(z.string()) });
export type SystemUndoResult = z.infer<typeof systemUndoResult>;

/** One line of the command's stdout. */
export const systemLine = z.union([
	z.object({ event: deployEvent }),
	z.object({ result: z.unknown() }),
	z.object({ error: errorInfo }),
]);
export type SystemLine = z.infer<typeof systemLine>;
