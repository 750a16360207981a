// Issue 17, item 3: the HTTPS requests each login session has open, so a logout ends
// that session's open requests (a followed log) at once, and "sign out everywhere" all
// of the member's, as revoking an API key ends the key's (agents/api/key-requests.ts).
interface OpenRequest {
	member: string;
	session: string;
	end: () => void;
}

const open = new Set<OpenRequest>();

/** Registers a request made with an access token; returns what unregisters it (when the request ends). */
export function trackSessionRequest(member: string, session: string, end: () => void): () => void {
	const request = { member, session, end };
	open.add(request);
	return () => open.delete(request);
}

/** Ends the open requests of one session, or of every session of a member. */
export function endSessionRequests(which: { session: string } | { member: string }): void {
	for (const request of [...open]) if ("session" in which ? request.session === which.session : request.member === which.member) request.end();
}
