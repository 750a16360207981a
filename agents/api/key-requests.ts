// Issue 17: the requests each API key has open, so revoking a key ends what it has open
// (a followed log) at once, as `team rm` ends a member's connections, instead of at its
// next request.
const open = new Map<string, Set<() => void>>();

/** Registers a key's request; returns what unregisters it (when the request ends). */
export function trackKeyRequest(key: string, end: () => void): () => void {
	const ends = open.get(key) ?? new Set<() => void>();
	open.set(key, ends);
	ends.add(end);
	return () => {
		ends.delete(end);
		if (ends.size === 0) open.delete(key);
	};
}

export function endKeyRequests(key: string): void {
	for (const end of [...(open.get(key) ?? [])]) end();
}
