// Installs (or upgrades) the agent over the open connection: the bundle travels on
// one exec's stdin, and the server itself checks its sha256 before it takes its place.
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Client } from "ssh2";
import type { AgentBundle } from "../../core/provider.js";
import { DeployError } from "../../core/protocol/errors.js";
import { exitOf, openExec, readMarker, tailOf } from "./exec.js";
import { installCommand } from "./remote-scripts.js";

/** Uploads the bundle; returns the bytes written towards the server. */
export async function installAgent(client: Client, bundle: AgentBundle, where: string, sudo = false): Promise<number> {
	const content = await readFile(bundle.path);
	if (createHash("sha256").update(content).digest("hex") !== bundle.sha256) {
		throw new DeployError("AGENT_BUNDLE_CHANGED", `The agent bundle ${bundle.path} changed while this command ran.`, "Run the command again.");
	}
	const command = installCommand(bundle.sha256, sudo);
	const channel = await openExec(client, command);
	const stderr = tailOf(channel.stderr);
	const exit = exitOf(channel);
	const marker = readMarker(channel);
	channel.end(content);
	const { marker: result, noise } = await marker;
	channel.resume();
	const code = await exit;
	if (result?.kind === "installed" && code === 0) return Buffer.byteLength(command) + content.length;
	if (result?.kind === "checksum-mismatch") {
		throw new DeployError(
			"AGENT_UPLOAD_CORRUPTED",
			`The agent bundle arrived damaged on ${where}: sha256 ${result.received ?? "(none)"} instead of ${bundle.sha256}. Nothing was replaced.`,
			"Run the command again; if it keeps happening, check the server's disk space and memory.",
		);
	}
	throw new DeployError(
		"AGENT_INSTALL_FAILED",
		`Installing the agent on ${where} failed (exit code ${code ?? "none"}).`,
		"Check that the agent home on the server is writable by this user and that the disk has space.",
		[...noise, ...stderr()],
	);
}
