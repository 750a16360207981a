/**
 * A Caddy config with the static upstreams of every reverse proxy left out, keys sorted:
 * two configs of the same shape differ only in instances, which the resolver serves
 * (./upstream-dns/), so going from one to the other needs no load. Works on what the
 * agent renders and on what Caddy's admin API returns (the same JSON, keys reordered).
 */
export function configShape(config: unknown): string {
	return JSON.stringify(normalized(config));
}

function normalized(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalized);
	if (value === null || typeof value !== "object") return value;
	const object = value as Record<string, unknown>;
	const entries = Object.keys(object)
		.sort()
		.filter((key) => !(key === "upstreams" && object.handler === "reverse_proxy"))
		.map((key) => [key, normalized(object[key])]);
	return Object.fromEntries(entries);
}
