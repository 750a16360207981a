/**
 * scheme://host[:port] of a URL. Node's URL gives "null" as the origin of every
 * non-special scheme (app:, file:), which would make app:// and file:// look alike.
 */
export function originOf(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.protocol}//${parsed.host}`;
	} catch {
		return "invalid:";
	}
}
