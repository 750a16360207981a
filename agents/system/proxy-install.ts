// Makes the proxy's binary present: Caddy from the distribution where it packages one
// (Debian 12+, Ubuntu 24.04+), else each project's release tarball; a binary that was
// there before us is used as it is and never removed. A repair keeps what an earlier
// run installed; an upgrade replaces a release binary of another version.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { distroPackagesCaddy, type OsRelease } from "../../core/protocol/server-os.js";
import type { ProxyInstall } from "../../core/protocol/system.js";
import type { AgentHome } from "../home.js";
import { findOnPath } from "../proxy/process.js";
import { aptInstall, packageInstalled } from "./apt.js";
import { installProxyRelease, PROXY_RELEASES } from "./proxy-release.js";
import { systemctl, systemdState } from "./systemd.js";

export interface ProxyInstallContext {
	home: AgentHome;
	kind: "caddy" | "traefik";
	os: OsRelease;
	arch: "amd64" | "arm64";
	mirror: string | undefined;
	previous: ProxyInstall | null;
	log: (line: string) => void;
}

export interface ProxyInstallOutcome {
	proxy: ProxyInstall;
	/** A Debian package this run installed (for the record, so a purge removes it). */
	addedPackage: string | null;
	/** What happened, for the step's line. */
	message: string;
	/** The binary was replaced: a running proxy must restart to run it. */
	replaced: boolean;
}

/**
 * Where the proxy comes from, decided from what is there (pure: tested by equality).
 * What an earlier run installed stays its way; a binary there before us is used as it
 * is; otherwise Caddy from the distribution where it has one, else the release tarball.
 */
export function chooseProxySource(kind: "caddy" | "traefik", facts: { previous: ProxyInstall["source"] | null; releaseBinary: boolean; onPath: boolean; distroHasCaddy: boolean }): ProxyInstall["source"] {
	if (facts.previous === "release" || facts.releaseBinary) return "release";
	if (facts.previous === "package") return "package";
	if (facts.onPath) return "found";
	return kind === "caddy" && facts.distroHasCaddy ? "package" : "release";
}

export async function ensureProxyBinary(ctx: ProxyInstallContext): Promise<ProxyInstallOutcome> {
	const binDir = join(ctx.home.root, "bin");
	await mkdir(binDir, { recursive: true, mode: 0o700 });
	const releaseBinary = await findOnPath(ctx.kind, binDir);
	const onPath = await findOnPath(ctx.kind);
	const previous = ctx.previous?.kind === ctx.kind ? ctx.previous.source : null;
	const source = chooseProxySource(ctx.kind, { previous, releaseBinary: releaseBinary !== undefined, onPath: onPath !== undefined, distroHasCaddy: distroPackagesCaddy(ctx.os) });
	if (source === "release") return ensureRelease(ctx, binDir, releaseBinary);
	if (source === "package") return ensurePackage(ctx);
	const version = await versionOf(onPath!);
	return outcome({ kind: ctx.kind, binary: onPath!, version, source: "found" }, null, `${ctx.kind} ${version ?? "(version unknown)"} found at ${onPath} (there before: used as it is, never removed)`, false);
}

async function ensureRelease(ctx: ProxyInstallContext, binDir: string, installed: string | undefined): Promise<ProxyInstallOutcome> {
	const pinned = PROXY_RELEASES[ctx.kind];
	const version = installed ? await versionOf(installed) : null;
	if (installed && version === pinned.version) return outcome({ kind: ctx.kind, binary: installed, version, source: "release" }, null, `${ctx.kind} ${version} (release binary, already installed)`, false);
	const binary = await installProxyRelease({ name: ctx.kind, version: pinned.version, mirror: ctx.mirror ?? pinned.mirror, arch: ctx.arch }, binDir);
	const verb = installed ? `upgraded from ${version ?? "an unknown version"}` : "installed";
	const message = `${ctx.kind} ${pinned.version} ${verb} from its release tarball, checksum-verified against the release's own checksums file`;
	return outcome({ kind: ctx.kind, binary, version: (await versionOf(binary)) ?? pinned.version, source: "release" }, null, message, installed !== undefined);
}

async function ensurePackage(ctx: ProxyInstallContext): Promise<ProxyInstallOutcome> {
	let added: string | null = null;
	if (!(await packageInstalled("caddy"))) {
		await aptInstall(["caddy"], ctx.log);
		added = "caddy";
	}
	await disablePackageUnit(ctx.log);
	const binary = (await findOnPath("caddy")) ?? "/usr/bin/caddy";
	const version = await versionOf(binary);
	return outcome({ kind: "caddy", binary, version, source: "package" }, added, `caddy ${version ?? "(version unknown)"} ${added ? "installed" : "already installed"} (${ctx.os.prettyName || ctx.os.id}'s package)`, false);
}

function outcome(proxy: ProxyInstall, addedPackage: string | null, message: string, replaced: boolean): ProxyInstallOutcome {
	return { proxy, addedPackage, message, replaced };
}

/**
 * The Debian package enables its own caddy.service (the welcome page on :80): ours
 * runs the proxy instead, so the package's unit must neither hold the port now nor
 * start at boot.
 */
async function disablePackageUnit(log: (line: string) => void): Promise<void> {
	const state = systemdState();
	if (state === "absent") return;
	const result = await systemctl(state === "running" ? ["disable", "--now", "caddy.service"] : ["disable", "caddy.service"]);
	if (!result.ok) log(`systemctl disable caddy.service: ${result.output}`);
}

/** `caddy version` → "v2.6.2 h1:…" → "2.6.2"; `traefik version` → "Version: 3.7.5" → "3.7.5". */
export async function versionOf(binary: string): Promise<string | null> {
	const run = await execa(binary, ["version"], { reject: false, timeout: 10_000 });
	if (run.exitCode !== 0) return null;
	const text = String(run.stdout);
	const match = /Version:\s*v?(\S+)/i.exec(text) ?? /^v?(\d+\.\d+\.\d+\S*)/.exec(text.trim());
	return match?.[1] ?? null;
}
