import { X509Certificate } from "node:crypto";
import { open } from "node:fs/promises";
import type { CertificateInfo } from "./driver.js";

/** What a proxy's stored certificate says, read with node:crypto (the private key is never read). */
export interface HeldCertificate {
	issuer: string;
	notAfter: Date;
}

/** The leaf (first) certificate of a PEM chain; null when it cannot be parsed. */
export function certificateFromPem(pem: string | Buffer): HeldCertificate | null {
	try {
		const leaf = new X509Certificate(pem);
		return { issuer: issuerName(leaf.issuer), notAfter: new Date(leaf.validTo) };
	} catch {
		return null;
	}
}

/** The issuer's common name (e.g. "R11", "Pebble Intermediate CA 4a3d2c"), else its whole distinguished name. */
function issuerName(distinguishedName: string): string {
	const cn = distinguishedName.split("\n").find((part) => part.startsWith("CN="));
	return cn ? cn.slice(3) : distinguishedName.replaceAll("\n", ", ");
}

/**
 * One host's state, the same for every driver: valid or expired when a certificate is
 * held; otherwise failed (the proxy logged why), pending (the host should get one: the
 * proxy is obtaining it) or none (the host is served without TLS).
 */
export function certificateState(host: string, wantsTls: boolean, held: HeldCertificate | undefined, failure: string | undefined, now = new Date()): CertificateInfo {
	if (held) {
		const expired = held.notAfter.getTime() <= now.getTime();
		return { host, issuer: held.issuer, notAfter: held.notAfter.toISOString(), state: expired ? "expired" : "valid", ...(expired && failure ? { message: failure } : {}) };
	}
	if (!wantsTls) return { host, issuer: null, notAfter: null, state: "none" };
	if (failure) return { host, issuer: null, notAfter: null, state: "failed", message: failure };
	return { host, issuer: null, notAfter: null, state: "pending" };
}

/** The last `bytes` of a proxy's log (empty when there is none): failures are recent, and the log is never trimmed by us. */
export async function logTailText(file: string, bytes = 2 * 1024 * 1024): Promise<string> {
	let handle: Awaited<ReturnType<typeof open>> | undefined;
	try {
		handle = await open(file, "r");
		const { size } = await handle.stat();
		const length = Math.min(size, bytes);
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		return buffer.toString("utf8");
	} catch {
		return "";
	} finally {
		await handle?.close();
	}
}
