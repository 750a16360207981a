import type { Membership } from "../../core/protocol/team.js";
import type { Caller } from "./caller.js";

/** What a handler learns of its caller: who, their memberships (null: the server's owner), which apps they may see. */
export interface CallAccess {
	caller: Caller;
	memberships: Membership[] | null;
	visible(app: string): boolean;
}
