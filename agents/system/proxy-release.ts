// A proxy from its project's own release: the tarball for this machine's architecture,
// checked against the checksums file published with the same release (never against a
// value written here), then its one binary renamed into <home>/bin.
import { chmod, mkdtemp, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import { checksumOf, download, fileDigest } from "./download.js";

export interface ProxyRelease {
	name: "caddy" | "traefik";
	version: string;
	/** The releases base: `<mirror>/v<version>/<file>` is the GitHub releases layout. */
	mirror: string;
	/** Debian's name for the architecture: amd64 or arm64. */
	arch: "amd64" | "arm64";
}

/** Pinned versions, bumped with the client. Traefik v3 and Caddy v2, as the drivers render. */
export const PROXY_RELEASES = {
	traefik: { version: "3.7.5", mirror: "https://github.com/traefik/traefik/releases/download" },
	caddy: { version: "2.11.7", mirror: "https://github.com/caddyserver/caddy/releases/download" },
} as const;

/** The file names of a release, as each project publishes them. */
export function releaseFiles(release: ProxyRelease): { tarball: string; checksums: string; base: string } {
	const base = `${release.mirror.replace(/\/+$/, "")}/v${release.version}`;
	if (release.name === "traefik") {
		return { base, tarball: `traefik_v${release.version}_linux_${release.arch}.tar.gz`, checksums: `traefik_v${release.version}_checksums.txt` };
	}
	return { base, tarball: `caddy_${release.version}_linux_${release.arch}.tar.gz`, checksums: `caddy_${release.version}_checksums.txt` };
}

/** Downloads, verifies and installs the release's binary as `<binDir>/<name>`; nothing changes unless it all succeeds. */
export async function installProxyRelease(release: ProxyRelease, binDir: string): Promise<string> {
	const files = releaseFiles(release);
	const work = await mkdtemp(join(binDir, `.${release.name}-`));
	try {
		await fetchRelease(`${files.base}/${files.checksums}`, join(work, "checksums.txt"), release.name);
		const expected = checksumOf(await readFile(join(work, "checksums.txt"), "utf8"), files.tarball);
		if (!expected) {
			throw new DeployError("PROXY_RELEASE_UNLISTED", `${files.checksums} does not list ${files.tarball}.`, "Check the mirror given with --proxy-mirror: it must hold the project's release files as published.");
		}
		const tarball = join(work, files.tarball);
		await fetchRelease(`${files.base}/${files.tarball}`, tarball, release.name);
		const actual = await fileDigest(tarball, expected.algorithm);
		if (actual !== expected.hex) {
			throw new DeployError(
				"PROXY_CHECKSUM_MISMATCH",
				`The download of ${files.tarball} does not match ${files.checksums} (${expected.algorithm} ${actual}, expected ${expected.hex}). Nothing was installed.`,
				"The mirror or something between it and the server altered the file. Check it and run the command again.",
			);
		}
		const unpacked = await execa("tar", ["-xzf", tarball, "-C", work, "--no-same-owner", release.name], { reject: false });
		if (unpacked.exitCode !== 0) throw new DeployError("PROXY_UNPACK_FAILED", `${files.tarball} has no ${release.name} binary.`, "Check the mirror given with --proxy-mirror.", String(unpacked.stderr).split("\n").slice(-3));
		// Executable by the agent's user (root) alone, as everything in its home (issue 13).
		await chmod(join(work, release.name), 0o700);
		const target = join(binDir, release.name);
		await rename(join(work, release.name), target);
		return target;
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

/** A download of a release file, whose failure names the ways out. */
async function fetchRelease(url: string, file: string, name: string): Promise<void> {
	try {
		await download(url, file);
	} catch (error) {
		if (!(error instanceof DeployError)) throw error;
		const other = name === "traefik" ? "; or add the server with `--proxy caddy` (from the distribution's packages where it has one)" : "";
		throw new DeployError(error.code, `${error.message} Nothing was installed.`, `The server must reach it, or use a mirror holding the release files with \`--proxy-mirror <url>\`${other}.`, error.details);
	}
}
