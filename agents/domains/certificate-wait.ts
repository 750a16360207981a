import { setTimeout as sleep } from "node:timers/promises";
import type { CertificateInfoWire } from "../../core/protocol/domains.js";
import type { DeployEvent } from "../../core/protocol/index.js";
import type { HasProxy, HasSetup } from "../context/parts.js";
import { acmeOf, servingUrlOf } from "../proxy/tls.js";

/** How often the proxy's storage and log are read while waiting: cheap file reads. */
const POLL_MS = 500;

export interface CertificateWait {
	/** 0: look once and answer. */
	waitMs: number;
	/** A failure the proxy logged before this does not end the wait (an old attempt, not this one). */
	failuresSince?: Date;
}

/**
 * Issue 14: `domains add` waits for the domain's certificate instead of saying the
 * domain answers when its HTTPS cannot. The proxy obtains it in the background as soon
 * as the route has the host; this only reads what the driver says (storage, log) until
 * the state leaves `pending` or the bound passes, as a `certificate` step. Reading
 * through the driver also renders the HTTPS redirect once the certificate is there
 * (agents/proxy/certified-hosts.ts), so "issued" means HTTP already redirects.
 */
export async function waitForCertificate(agent: HasProxy & HasSetup, call: { emit(event: DeployEvent): void; signal: AbortSignal }, host: string, wait: CertificateWait): Promise<CertificateInfoWire> {
	const read = async () => (await agent.requireDriver().certificates([host], wait.failuresSince ? { failuresSince: wait.failuresSince } : {}))[0]!;
	let certificate = await read();
	if (certificate.state !== "pending" || wait.waitMs === 0) return certificate;
	const started = Date.now();
	const ca = agent.setup ? new URL(acmeOf(agent.setup).directory).host : "the ACME CA";
	call.emit({ type: "step", step: "certificate", status: "started", message: `waiting for ${ca} to issue a certificate for ${host} (up to ${Math.round(wait.waitMs / 1000)}s)` });
	while (certificate.state === "pending" && Date.now() - started < wait.waitMs) {
		await sleep(POLL_MS, undefined, { signal: call.signal });
		certificate = await read();
	}
	const durationMs = Date.now() - started;
	if (certificate.state === "failed") call.emit({ type: "step", step: "certificate", status: "failed", message: certificate.message ?? "the CA refused it", durationMs });
	else if (certificate.state === "pending") call.emit({ type: "step", step: "certificate", status: "done", message: `still pending after ${Math.round(durationMs / 1000)}s`, durationMs });
	else call.emit({ type: "step", step: "certificate", status: "done", message: `issued by ${certificate.issuer ?? "the CA"}`, durationMs });
	return certificate;
}

/** The URL that serves the domain now (agents/proxy/tls.ts servingUrlOf). */
export function domainUrl(agent: HasSetup, host: string, state: CertificateInfoWire["state"]): string {
	return agent.setup ? servingUrlOf(agent.setup, host, state) : `http://${host}`;
}
