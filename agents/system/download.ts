import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import { findOnPath } from "../proxy/process.js";

/**
 * Downloads a URL to a file with the server's own curl (or wget): they honour its
 * proxy settings and its CA store, which Node's fetch does not.
 */
export async function download(url: string, file: string): Promise<void> {
	const curl = await findOnPath("curl");
	const wget = curl ? undefined : await findOnPath("wget");
	if (!curl && !wget) throw new DeployError("DOWNLOAD_TOOLS_MISSING", "The server has neither curl nor wget.", "Install curl on the server (apt-get install curl) and run the command again.");
	const run = curl
		? await execa(curl, ["-fsSL", "--retry", "2", "--connect-timeout", "20", "-o", file, url], { reject: false })
		: await execa(wget!, ["-q", "-T", "20", "-O", file, url], { reject: false });
	if (run.exitCode !== 0) {
		throw new DeployError("DOWNLOAD_FAILED", `The server could not download ${url}.`, "Check the server's outbound HTTPS, or the mirror given on the command line.", [...new Set(String(run.stderr).split("\n").filter(Boolean))].slice(-5));
	}
}

/** The hex digest of a file, streaming (a release tarball is tens of MB). */
export async function fileDigest(file: string, algorithm: "sha256" | "sha512"): Promise<string> {
	const hash = createHash(algorithm);
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest("hex");
}

/**
 * The checksum of `name` in a release's checksums file (`<hex>  <name>` lines, as
 * sha256sum and sha512sum print them), with its algorithm told by its length; null
 * when the file does not list it.
 */
export function checksumOf(checksums: string, name: string): { algorithm: "sha256" | "sha512"; hex: string } | null {
	for (const line of checksums.split("\n")) {
		const match = /^([0-9a-f]{64}|[0-9a-f]{128})\s+\*?(\S+)\s*$/i.exec(line.trim());
		if (match && match[2] === name) return { algorithm: match[1]!.length === 64 ? "sha256" : "sha512", hex: match[1]!.toLowerCase() };
	}
	return null;
}
