// Issue 16: who is on the other end of a connection to the daemon's socket.
//
// Why the daemon may believe what the bridge says: the socket is the agent user's alone
// (a 0700 home; app users cannot reach it, issue 13), so whoever connects is either the
// agent's user with a shell (the server's owner, who may do everything anyway) or a
// bridge that sshd started. A member's key runs only the forced command
// `… agent.mjs connect --member <id>` (authorized_keys, `restrict`): that bridge sends
// the line below before it passes on a single byte of the member's, and the daemon takes
// a caller line only as a connection's first, so a member can neither leave it out nor
// send another. A connection that starts with a call is the server's owner's.
import * as z from "zod";
import type { KeyScope } from "../../core/protocol/api-keys.js";
import { memberId, type Membership } from "../../core/protocol/team.js";

export interface Caller {
	/** null: the server's owner (or, with `key`, no member: the key speaks for itself). */
	member: string | null;
	/** The SSH client's address (the bridge's SSH_CLIENT), or the HTTP client's; null when unknown. */
	client: string | null;
	/**
	 * A member's client brings another agent version than this one (its sha256), which a
	 * member's key cannot upload: a call this agent does not know then says so
	 * (version-mismatch.ts). Absent: the same version, or the owner's (who upgrades on connect).
	 */
	clientAgent?: string;
	/**
	 * Issue 17: a request of the HTTPS API made with an API key (agents/api/), never set
	 * from the socket. The guard takes this identity, not how it was authenticated.
	 */
	key?: KeyCaller;
	/** Issue 17, item 3: the login session (refresh family) of a request made with a member's access token; never set from the socket. */
	session?: string;
}

export interface KeyCaller {
	name: string;
	scope: KeyScope;
	/** The one membership its scope stands for (agents/access/key-scopes.ts). */
	membership: Membership;
}

export const OWNER: Caller = { member: null, client: null };

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const callerLine = z.object({ caller: z.object({ member: memberId.nullable(), client: z.string().max(100).nullable(), clientAgent: sha256.optional() }) }).strict();

/** The caller a connection's first line announces; null when the line is something else (a call). */
export function parseCallerLine(json: unknown): Caller | null {
	const parsed = callerLine.safeParse(json);
	return parsed.success ? parsed.data.caller : null;
}

/** What the bridge writes first: SSH_CLIENT is "address port localport"; `clientAgent` only when it differs from this agent. */
export function callerLineOf(member: string | null, sshClient: string | undefined, clientAgent?: string): string {
	const client = sshClient?.split(" ")[0] || null;
	return `${JSON.stringify({ caller: { member, client, ...(clientAgent ? { clientAgent } : {}) } })}\n`;
}
