import { rm } from "node:fs/promises";
import type { ServerSetup } from "../../core/protocol/index.js";
import { writeFileAtomic } from "../fs/atomic-write.js";

/**
 * Keeps the PEM of `--acme-ca-root` where the proxy reads it (Caddy's
 * trusted_roots_pem_files, Traefik's LEGO_CA_CERTIFICATES), or removes a stale one.
 */
export async function writeAcmeCaRoot(file: string, setup: ServerSetup): Promise<void> {
	const pem = setup.acme?.caRoot;
	if (pem) await writeFileAtomic(file, pem.endsWith("\n") ? pem : `${pem}\n`);
	else await rm(file, { force: true });
}
