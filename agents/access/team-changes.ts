// Issue 16: what `team create/add/set/rm` change: team.json and, for a member's key,
// authorized_keys. Each checks everything before it writes anything; the key is
// written before the state that names it (a member without a key cannot log in, a
// key without a member is refused by every check), and removed before the member.
import { DeployError } from "../../core/protocol/errors.js";
import { DEFAULT_TEAM, type MemberInfo, type Membership, type TeamState } from "../../core/protocol/team.js";
import { type BridgeCommand, forcedCommand, keyUsedElsewhere, memberKeyLine, withMemberKey, withoutMemberKey } from "./authorized-keys.js";
import { type MemberKeysFile, readAuthorizedKeys, writeAuthorizedKeys } from "./authorized-keys-file.js";
import { parsePublicKey } from "./public-key.js";
import { changeTeamState } from "./team-store.js";

type Stored = TeamState["members"][number];
const info = ({ publicKey: _key, ...member }: Stored): MemberInfo => member;

export async function createTeam(homeRoot: string, name: string, apps: string[]): Promise<{ name: string; apps: string[] }> {
	return changeTeamState(homeRoot, (state) => {
		if (name === DEFAULT_TEAM || state.teams.some((t) => t.name === name)) throw new DeployError("TEAM_EXISTS", `There is already a team named ${name} on this server.`, "`deploy team ls` lists the teams.");
		const others = apps.filter((app) => state.apps[app] && state.apps[app] !== DEFAULT_TEAM);
		if (others.length) throw new DeployError("APP_IN_OTHER_TEAM", `${others.join(", ")} already belong to another team.`, "An app belongs to one team.");
		const given = Object.fromEntries(apps.map((app) => [app, name]));
		return { state: { ...state, teams: [...state.teams, { name, createdAt: new Date().toISOString() }], apps: { ...state.apps, ...given } }, value: { name, apps } };
	});
}

export interface AddMember {
	id: string;
	team: string;
	role: Membership["role"];
	publicKey?: string | undefined;
	/** Issue 17: a login for the HTTPS API; with it, the key may be left out. */
	email?: string | undefined;
	apps: string[] | null;
	canDeployProduction: boolean;
}

export async function addMember(homeRoot: string, keysFile: MemberKeysFile, bridge: BridgeCommand, exists: AppExists, add: AddMember): Promise<MemberInfo> {
	return changeTeamState(homeRoot, async (state) => {
		if (add.team !== DEFAULT_TEAM && !state.teams.some((t) => t.name === add.team)) throw new DeployError("TEAM_UNKNOWN", `There is no team named ${add.team} on this server.`, `Create it first: \`deploy team create ${add.team}\`.`);
		checkApps(state, add.team, add.apps, exists);
		if (add.email) checkEmailFree(state, add.email, add.id);
		const membership: Membership = { team: add.team, role: add.role, apps: add.apps, canDeployProduction: add.canDeployProduction };
		const email = add.email ? { email: add.email } : {};
		const existing = state.members.find((m) => m.id === add.id);
		if (existing) {
			if (existing.memberships.some((m) => m.team === add.team)) throw new DeployError("MEMBER_EXISTS", `${add.id} is already in team ${add.team}.`, `Change their role or apps with \`deploy team set ${add.id} --team ${add.team} …\`.`);
			if (add.publicKey && parsePublicKey(add.publicKey).base64 !== existing.publicKey?.split(" ")[1]) {
				throw new DeployError("KEY_MISMATCH", `${add.id} is on this server with ${existing.publicKey ? "another key" : "no key (a login only)"}.`, `Leave out --key to add them to ${add.team} as they are, or remove them first (\`deploy team rm ${add.id}\`).`);
			}
			const member = { ...existing, ...email, memberships: [...existing.memberships, membership] };
			return { state: { ...state, members: state.members.map((m) => (m.id === add.id ? member : m)) }, value: info(member) };
		}
		if (!add.publicKey && !add.email) {
			throw new DeployError("KEY_REQUIRED", `${add.id} is new on this server: their public key or their email is needed.`, `Pass one: \`deploy team add ${add.id} --key ${add.id}.pub --team ${add.team}\` (SSH), or \`--email ${add.id}@example.com\` (a login to the HTTPS API).`);
		}
		const key = add.publicKey ? await installKey(keysFile, bridge, state, add.id, add.publicKey) : null;
		const member: Stored = { id: add.id, fingerprint: key?.fingerprint ?? null, ...email, addedAt: new Date().toISOString(), lastSeen: null, memberships: [membership], publicKey: key ? `${key.type} ${key.base64}` : null };
		return { state: { ...state, members: [...state.members, member] }, value: info(member) };
	});
}

/** Writes a new member's key to authorized_keys (before the state that names it), once it is known to be theirs alone. */
async function installKey(keysFile: MemberKeysFile, bridge: BridgeCommand, state: TeamState, id: string, publicKey: string) {
	const key = parsePublicKey(publicKey);
	const keys = await readAuthorizedKeys(keysFile.path);
	if (keyUsedElsewhere(keys, key, id) || state.members.some((m) => m.fingerprint === key.fingerprint)) {
		throw new DeployError("KEY_IN_USE", `That key (${key.fingerprint}) already logs in to this server: it is the owner's or another member's.`, "Each person uses their own key: ask them for theirs (`ssh-keygen -t ed25519` makes one).");
	}
	await writeAuthorizedKeys(keysFile, withMemberKey(keys, id, memberKeyLine(key, forcedCommand({ ...bridge, viaSudo: keysFile.viaSudo }, id), id)));
	return key;
}

/** Issue 17: one member per email address (it is what they log in with). */
function checkEmailFree(state: TeamState, email: string, id: string): void {
	const holder = state.members.find((m) => m.email === email && m.id !== id);
	if (holder) throw new DeployError("EMAIL_IN_USE", `${email} is the login of another member of this server.`, "Each member logs in with their own address.");
}

/** Issue 17: the member's login address, for `team invite --email`; returns it (their current one when none is given). */
export async function memberEmailOf(homeRoot: string, id: string, email?: string): Promise<string> {
	return changeTeamState(homeRoot, (state) => {
		const member = findMember(state, id);
		if (!email) {
			if (!member.email) throw new DeployError("EMAIL_REQUIRED", `${id} has no login address yet.`, `Give one: \`deploy team invite ${id} --email ${id}@example.com\`.`);
			return { state, value: member.email };
		}
		checkEmailFree(state, email, id);
		return { state: { ...state, members: state.members.map((m) => (m.id === id ? { ...m, email } : m)) }, value: email };
	});
}

export interface SetMember {
	id: string;
	team?: string | undefined;
	role?: Membership["role"] | undefined;
	apps?: string[] | null | undefined;
	canDeployProduction?: boolean | undefined;
}

export async function setMember(homeRoot: string, exists: AppExists, set: SetMember): Promise<MemberInfo> {
	if (set.role === undefined && set.apps === undefined && set.canDeployProduction === undefined) {
		throw new DeployError("BAD_ARGUMENT", "Nothing to change.", "Pass --role, --apps or --can-deploy-production.");
	}
	return changeTeamState(homeRoot, (state) => {
		const member = findMember(state, set.id);
		const membership = membershipOf(member, set.team);
		if (set.apps) checkApps(state, membership.team, set.apps, exists);
		const changed: Membership = {
			...membership,
			...(set.role ? { role: set.role } : {}),
			...(set.apps !== undefined ? { apps: set.apps } : {}),
			...(set.canDeployProduction !== undefined ? { canDeployProduction: set.canDeployProduction } : {}),
		};
		const updated = { ...member, memberships: member.memberships.map((m) => (m.team === membership.team ? changed : m)) };
		return { state: { ...state, members: state.members.map((m) => (m.id === set.id ? updated : m)) }, value: info(updated) };
	});
}

/** Removes a membership, or the member and their key (no team named, or it was their last). */
export async function removeMember(homeRoot: string, keysFile: MemberKeysFile, id: string, team?: string): Promise<{ id: string; removedKey: boolean }> {
	return changeTeamState<{ id: string; removedKey: boolean }>(homeRoot, async (state) => {
		const member = findMember(state, id);
		const left = team === undefined ? [] : member.memberships.filter((m) => m.team !== membershipOf(member, team).team);
		if (left.length > 0) {
			return { state: { ...state, members: state.members.map((m) => (m.id === id ? { ...m, memberships: left } : m)) }, value: { id, removedKey: false } };
		}
		await writeAuthorizedKeys(keysFile, withoutMemberKey(await readAuthorizedKeys(keysFile.path), id));
		return { state: { ...state, members: state.members.filter((m) => m.id !== id) }, value: { id, removedKey: true } };
	});
}

function findMember(state: TeamState, id: string): Stored {
	const member = state.members.find((m) => m.id === id);
	if (!member) throw new DeployError("MEMBER_UNKNOWN", `There is no member named ${id} on this server.`, "`deploy team ls` lists the members.");
	return member;
}

function membershipOf(member: Stored, team: string | undefined): Membership {
	if (team === undefined) {
		if (member.memberships.length === 1) return member.memberships[0]!;
		throw new DeployError("BAD_ARGUMENT", `${member.id} is in ${member.memberships.length} teams: say which.`, `Add --team (one of ${member.memberships.map((m) => m.team).join(", ")}).`);
	}
	const found = member.memberships.find((m) => m.team === team);
	if (!found) throw new DeployError("MEMBER_UNKNOWN", `${member.id} is not in team ${team}.`, "`deploy team ls` lists each team's members.");
	return found;
}

/** Whether an app is on the server (apps/<name>/ exists): an app on the server that team.json does not name is the default team's. */
export type AppExists = (app: string) => boolean;

/** A member may be given the team's apps, or names no app has yet (a new app they deploy joins the team); never another team's. */
function checkApps(state: TeamState, team: string, apps: string[] | null, exists: AppExists): void {
	const teamOf = (app: string) => state.apps[app] ?? (exists(app) ? DEFAULT_TEAM : team);
	const others = (apps ?? []).filter((app) => teamOf(app) !== team);
	if (others.length) throw new DeployError("APP_IN_OTHER_TEAM", `${others.join(", ")} ${others.length === 1 ? "belongs" : "belong"} to another team than ${team}.`, "`deploy team ls` shows each team's apps.");
}
