// The host names we make up, written once for the client and the agent (the agent
// imports only core/protocol): an app's generated host, a preview's host, and the
// plain-HTTP URL of a host.

/** A DNS name's limit (RFC 1035), dots included. */
const MAX_HOST = 253;

/**
 * The wildcard-DNS host an app without a domain answers at: sslip.io resolves
 * `<anything>.<ip>.sslip.io` to the IP, so no DNS setup is needed. IPv6 addresses are
 * written with dashes, as sslip.io expects.
 */
export function generatedHost(app: string, address: string): string {
	return `${app}${generatedSuffix(address)}`;
}

/** True for a name under `<address>.sslip.io`: made up by us (the default and preview hosts), not the user's domain. */
export function isGeneratedHost(host: string, address: string): boolean {
	return host.endsWith(generatedSuffix(address));
}

/**
 * A preview's host under the app's domain: `<preview>.<domain>`, one label more. Null
 * when the app has no domain or the name would be too long: the preview then answers
 * at its generated host only.
 */
export function previewHost(preview: string, domain: string | undefined): string | null {
	if (!domain) return null;
	const host = `${preview}.${domain}`;
	return host.length <= MAX_HOST ? host : null;
}

/** An http URL, leaving out the port when it is the default one. */
export function httpUrl(host: string, port: number): string {
	return port === 80 ? `http://${host}` : `http://${host}:${port}`;
}

function generatedSuffix(address: string): string {
	return `.${address.replaceAll(":", "-")}.sslip.io`;
}
