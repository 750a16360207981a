import { DeployError } from "./errors.js";
import type { RuntimeMarker } from "./runtime.js";

/**
 * The error for a Node.js install that did not end with a runtime in place: the same
 * words whether `servers add` installed the agent's runtime or the agent an app's.
 */
export function runtimeInstallError(marker: RuntimeMarker | null, version: string, mirror: string, output: string[]): DeployError {
	const what = `Node.js ${version}`;
	switch (marker?.kind) {
		case "checksum-mismatch":
			return new DeployError(
				"RUNTIME_CHECKSUM_MISMATCH",
				`The download of ${what} does not match its checksum in ${mirror}/v${version}/SHASUMS256.txt (sha256 ${marker.actual}, expected ${marker.expected}). Nothing was installed.`,
				"The mirror or something between it and the server altered the file. Check the mirror (--node-mirror), then run the command again.",
			);
		case "download-failed":
			return new DeployError("RUNTIME_DOWNLOAD_FAILED", `The server could not download ${marker.what}. Nothing was installed.`, "Check the server's outbound HTTPS (or the mirror given with --node-mirror / DEPLOY_NODE_MIRROR) and run the command again.", output);
		case "not-listed":
			return new DeployError("RUNTIME_NOT_PUBLISHED", `${mirror} does not publish ${marker.what} (not in v${version}/SHASUMS256.txt).`, "Use a mirror in the official dist layout that has this release.", output);
		case "no-downloader":
			return new DeployError("RUNTIME_TOOLS_MISSING", `The server has neither curl nor wget to download ${what}.`, "Install curl on the server (apt-get install curl) and run the command again.");
		case "no-xz":
			return new DeployError("RUNTIME_TOOLS_MISSING", `The server cannot unpack ${what}: xz is missing.`, "Install xz-utils on the server (apt-get install xz-utils) and run the command again.");
		case "unwritable":
			return new DeployError("RUNTIME_INSTALL_FAILED", `Cannot write ${marker.what} on the server to install ${what}.`, "Check the disk space and permissions of the agent's home on the server.", output);
		default:
			return new DeployError("RUNTIME_INSTALL_FAILED", `Installing ${what} on the server failed.`, "Read the details below; check the server's disk space.", output);
	}
}
