/**
 * The wildcard-DNS host an app without a domain answers at: sslip.io resolves
 * `<anything>.<ip>.sslip.io` to the IP, so no DNS setup is needed. IPv6 addresses are
 * written with dashes, as sslip.io expects.
 */
export function sslipHost(app: string, address: string): string {
	return `${app}.${address.replaceAll(":", "-")}.sslip.io`;
}

/** An http URL, leaving out the port when it is the default one. */
export function httpUrl(host: string, port: number): string {
	return port === 80 ? `http://${host}` : `http://${host}:${port}`;
}
