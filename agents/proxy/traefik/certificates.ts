import { readFile } from "node:fs/promises";
import * as z from "zod";
import { certificateFromPem, type HeldCertificate, logTailText } from "../certificate-state.js";

/** The part of Traefik's acme.json the driver reads; keys and the account are left alone. */
const acmeStore = z.record(
	z.string(),
	z
		.object({
			Certificates: z
				.array(z.object({ domain: z.object({ main: z.string(), sans: z.array(z.string()).nullish() }), certificate: z.string() }))
				.nullish(),
		})
		.nullish(),
);

/** The certificates Traefik holds for `hosts`, from acme.json (base64 PEM chains, per resolver). */
export async function heldCertificates(acmeFile: string, hosts: readonly string[]): Promise<Map<string, HeldCertificate>> {
	const held = new Map<string, HeldCertificate>();
	let parsed: z.infer<typeof acmeStore>;
	try {
		const result = acmeStore.safeParse(JSON.parse(await readFile(acmeFile, "utf8")));
		if (!result.success) return held;
		parsed = result.data;
	} catch {
		return held;
	}
	for (const resolver of Object.values(parsed)) {
		for (const entry of resolver?.Certificates ?? []) {
			const names = [entry.domain.main, ...(entry.domain.sans ?? [])];
			const certificate = certificateFromPem(Buffer.from(entry.certificate, "base64"));
			if (!certificate) continue;
			for (const host of names.filter((name) => hosts.includes(name))) {
				const current = held.get(host);
				if (!current || certificate.notAfter > current.notAfter) held.set(host, certificate);
			}
		}
	}
	return held;
}

/** Why Traefik could not get a certificate, from its JSON log ("Unable to obtain ACME certificate for domains"); `since`: entries from then on. */
export async function failuresFromLog(logFile: string, hosts: readonly string[], since?: Date): Promise<Map<string, string>> {
	const text = await logTailText(logFile);
	const failures = new Map<string, string>();
	for (const line of text.split("\n")) {
		if (!line.includes("Unable to obtain ACME certificate")) continue;
		let entry: { time?: unknown; domains?: unknown; error?: unknown };
		try {
			entry = JSON.parse(line);
		} catch {
			continue;
		}
		// Traefik's JSON log writes `time` as RFC 3339.
		if (since && !(typeof entry.time === "string" && Date.parse(entry.time) >= since.getTime())) continue;
		const domains = Array.isArray(entry.domains) ? entry.domains : [];
		for (const host of hosts) if (domains.includes(host)) failures.set(host, String(entry.error ?? "Traefik could not obtain the certificate"));
	}
	return failures;
}
