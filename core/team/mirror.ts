// Issue 16, item 5: the teams a server reported (`team.ls`), mirrored into the local
// store for the desktop. The server stays the truth: each listing replaces that
// server's rows whole.
import type { TeamListing } from "../protocol/team.js";
import { withStore } from "../deploy/target.js";

export async function mirrorTeams(server: string, listing: TeamListing): Promise<void> {
	await withStore((store) => store.teams.replaceServer(server, listing));
}
