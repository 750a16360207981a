// Issue 16: the open connections of each member, so removing a member ends what they
// have open (a `logs -f`) at once instead of at their next command.
const open = new Map<string, Set<() => void>>();

/** Registers a member's connection; returns what unregisters it (when it closes). */
export function trackMemberConnection(member: string, end: () => void): () => void {
	const ends = open.get(member) ?? new Set<() => void>();
	open.set(member, ends);
	ends.add(end);
	return () => {
		ends.delete(end);
		if (ends.size === 0) open.delete(member);
	};
}

/** Ends every open connection of the member. */
export function endMemberConnections(member: string): void {
	for (const end of [...(open.get(member) ?? [])]) end();
}
