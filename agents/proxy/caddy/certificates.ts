import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { certificateFromPem, type HeldCertificate, logTailText } from "../certificate-state.js";
import { unexpired } from "../certified-hosts.js";

/**
 * The certificates Caddy holds for `hosts`, read from its storage folder:
 * `certificates/<issuer dir>/<host>/<host>.crt`, one issuer dir per CA it has used. The
 * newest certificate wins when several CAs issued one (a server moved to another CA).
 */
export async function heldCertificates(dataDir: string, hosts: readonly string[]): Promise<Map<string, HeldCertificate>> {
	const root = join(dataDir, "certificates");
	const issuers = await readdir(root).catch(() => [] as string[]);
	const held = new Map<string, HeldCertificate>();
	for (const host of hosts) {
		for (const issuer of issuers) {
			const pem = await readFile(join(root, issuer, host, `${host}.crt`), "utf8").catch(() => null);
			const certificate = pem && certificateFromPem(pem);
			if (!certificate) continue;
			const current = held.get(host);
			if (!current || certificate.notAfter > current.notAfter) held.set(host, certificate);
		}
	}
	return held;
}

/** Issue 14: the hosts whose certificate Caddy holds, unexpired: the ones HTTP may redirect to HTTPS. */
export async function certifiedHosts(dataDir: string, hosts: readonly string[]): Promise<Set<string>> {
	return unexpired(await heldCertificates(dataDir, hosts));
}

/**
 * Why Caddy could not get a certificate, from its JSON log: the last "could not get
 * certificate from issuer" / "job failed" entry of each host, unless a later
 * "certificate obtained successfully" entry says it has since worked. `since`: only
 * entries from then on (issue 14: a wait for a new attempt is not answered by an old failure).
 */
export async function failuresFromLog(logFile: string, hosts: readonly string[], since?: Date): Promise<Map<string, string>> {
	const text = await logTailText(logFile);
	const wanted = new Set(hosts);
	const failures = new Map<string, string>();
	for (const line of text.split("\n")) {
		if (!line.startsWith("{")) continue;
		let entry: { ts?: number; msg?: string; identifier?: string; error?: string };
		try {
			entry = JSON.parse(line);
		} catch {
			continue;
		}
		if (!entry.identifier || !wanted.has(entry.identifier)) continue;
		// Caddy's `ts` is seconds since the epoch, with a fraction.
		if (since && (entry.ts ?? 0) * 1000 < since.getTime()) continue;
		if (entry.msg === "certificate obtained successfully") failures.delete(entry.identifier);
		else if (entry.error && (entry.msg === "could not get certificate from issuer" || entry.msg === "job failed")) failures.set(entry.identifier, entry.error);
	}
	return failures;
}
