// Issue 16, item 5: the local mirror of each server's teams (the agent's team.json is the
// truth): replaced whole by each `team.ls`, read by the desktop when offline.
import type { Kysely } from "kysely";
import type { TeamListing } from "../protocol/team.js";
import type { StoreTables } from "./tables.js";

export interface TeamsRepository {
	/** Replaces what the store knows of the server's teams with this listing. */
	replaceServer(server: string, listing: TeamListing): Promise<void>;
	/** The server's teams as last mirrored. */
	list(server: string): Promise<TeamListing>;
}

export function teamsRepository(db: Kysely<StoreTables>): TeamsRepository {
	return {
		async replaceServer(server, listing) {
			await db.transaction().execute(async (tx) => {
				await tx.deleteFrom("teams").where("server", "=", server).execute();
				await tx.deleteFrom("users").where("server", "=", server).execute();
				const users = new Map<string, number>();
				for (const team of listing.teams) {
					const { id: teamId } = await tx.insertInto("teams").values({ server, name: team.name, created_at: team.createdAt, apps: JSON.stringify(team.apps) }).returning("id").executeTakeFirstOrThrow();
					for (const member of team.members) {
						let userId = users.get(member.id);
						if (userId === undefined) {
							userId = (await tx.insertInto("users").values({ server, name: member.id, email: member.email ?? null, fingerprint: member.fingerprint ?? "", created_at: member.addedAt, last_seen: member.lastSeen }).returning("id").executeTakeFirstOrThrow()).id;
							users.set(member.id, userId);
						}
						for (const m of member.memberships.filter((x) => x.team === team.name)) {
							await tx.insertInto("team_members").values({ team_id: teamId, user_id: userId, role: m.role, apps: m.apps ? JSON.stringify(m.apps) : null, can_deploy_production: m.canDeployProduction ? 1 : 0 }).execute();
						}
					}
				}
			});
		},
		async list(server) {
			const teams = await db.selectFrom("teams").selectAll().where("server", "=", server).orderBy("id").execute();
			const rows = await db
				.selectFrom("team_members")
				.innerJoin("users", "users.id", "team_members.user_id")
				.innerJoin("teams", "teams.id", "team_members.team_id")
				.select(["teams.name as team", "users.name", "users.email", "users.fingerprint", "users.created_at", "users.last_seen", "team_members.role", "team_members.apps", "team_members.can_deploy_production"])
				.where("teams.server", "=", server)
				.execute();
			return {
				teams: teams.map((t) => ({
					name: t.name,
					createdAt: t.created_at,
					apps: JSON.parse(t.apps) as string[],
					members: rows
						.filter((r) => r.team === t.name)
						.map((r) => ({
							id: r.name,
							// Issue 17: a member with a login only has no key ("" in the column, which predates them).
							fingerprint: r.fingerprint || null,
							...(r.email ? { email: r.email } : {}),
							addedAt: r.created_at,
							lastSeen: r.last_seen,
							memberships: [{ team: t.name, role: r.role as "member" | "admin" | "owner", apps: r.apps ? (JSON.parse(r.apps) as string[]) : null, canDeployProduction: r.can_deploy_production === 1 }],
						})),
				})),
			};
		},
	};
}
