// Issue 16: the team methods. Who may call them is decided before they run (agents/access/rules.ts).
import { readdir } from "node:fs/promises";
import { DEFAULT_INVITE_SECONDS, type Invite } from "../../core/protocol/team.js";
import type { Call, Handler } from "./call.js";
import { appExists, previewOf } from "../access/app-of-call.js";
import { readAudit } from "../access/audit-log.js";
import { memberKeysFile } from "../access/authorized-keys-file.js";
import { endMemberConnections } from "../access/sessions.js";
import { addMember, createTeam, memberEmailOf, removeMember, setMember } from "../access/team-changes.js";
import { forgetLogin, issueInvite } from "../auth/logins.js";
import { endMemberSessions } from "../auth/sessions.js";
import { teamListing, visibleAudit, whoamiOf } from "../access/team-listing.js";
import { readTeamState } from "../access/team-store.js";
import { selfPath } from "../version.js";

const teamLs: Handler<"team.ls"> = async (_params, call) => {
	const apps = await readdir(call.agent.home.apps).catch(() => [] as string[]);
	return teamListing(await readTeamState(call.agent.home.root), call.access, apps);
};

const teamCreate: Handler<"team.create"> = async ({ name, apps }, call) => createTeam(call.agent.home.root, name, apps);

const teamAdd: Handler<"team.add"> = async ({ inviteExpiresInSeconds, ...params }, call) => {
	const member = await addMember(call.agent.home.root, await memberKeysFile(call.agent.home), { node: process.execPath, agent: selfPath(), home: call.agent.home.root }, (app) => appExists(call.agent.home, app), params);
	// Issue 17: a login's first password is set through a one-time invite, answered once, here.
	if (!params.email) return member;
	return { ...member, invite: await inviteOf(call, member.id, inviteExpiresInSeconds) };
};

/** Issue 17: a new invite for a member's login; the previous one stops working. */
const teamInvite: Handler<"team.invite"> = async ({ id, email, expiresInSeconds }, call) => {
	const address = await memberEmailOf(call.agent.home.root, id, email);
	return { id, email: address, invite: await inviteOf(call, id, expiresInSeconds) };
};

async function inviteOf(call: Call, member: string, seconds = DEFAULT_INVITE_SECONDS): Promise<Invite> {
	const { token, expiresAt } = await issueInvite(call.agent.home.root, member, seconds, Date.now());
	// The token in the fragment: a browser never sends it to a server, so no proxy log holds it; the page POSTs it.
	const api = call.agent.platformApi.status().url;
	return { token, expiresAt, url: api ? `${api}/invite#${token}` : null };
}

const teamSet: Handler<"team.set"> = async (params, call) => setMember(call.agent.home.root, (app) => appExists(call.agent.home, app), params);

const teamRm: Handler<"team.rm"> = async ({ id, team }, call) => {
	const removed = await removeMember(call.agent.home.root, await memberKeysFile(call.agent.home), id, team);
	if (removed.removedKey) {
		// Issue 17: their login goes too: password, invite, sessions (each access token is refused at its next request).
		await forgetLogin(call.agent.home.root, id);
		await endMemberSessions(call.agent.home.root, id, "removed", Date.now());
		// What they have open (a `logs -f`) ends once this answer is out; their key is already gone.
		call.afterReply(() => endMemberConnections(id));
	}
	return removed;
};

const whoami: Handler<"whoami"> = async (_params, call) => {
	const apps = await readdir(call.agent.home.apps).catch(() => [] as string[]);
	// A preview is judged as the app it previews: only production apps are listed.
	const production = apps.filter((app) => previewOf(call.agent.home, app) === null);
	return whoamiOf(await readTeamState(call.agent.home.root), call.access, production);
};

const auditList: Handler<"audit.list"> = async ({ app, sinceSeconds, limit }, call) => {
	const since = sinceSeconds ? Date.now() - sinceSeconds * 1000 : 0;
	const entries = visibleAudit(await readAudit(call.agent.home.root), call.access).filter((e) => (!app || e.app === app) && Date.parse(e.time) >= since);
	return entries.slice(-limit);
};

export const teamHandlers = { "team.ls": teamLs, "team.create": teamCreate, "team.add": teamAdd, "team.set": teamSet, "team.rm": teamRm, "team.invite": teamInvite, whoami, "audit.list": auditList };
