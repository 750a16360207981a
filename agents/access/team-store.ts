// Issue 16: team.json in the agent's home, the truth about teams, members and which
// team each app belongs to. Read on every call (a change takes effect on the member's
// next command); changed only through `changeTeamState`, one change at a time.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DeployError } from "../../core/protocol/errors.js";
import { type TeamState, teamState } from "../../core/protocol/team.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";

export const teamStatePath = (homeRoot: string) => join(homeRoot, "team.json");

const EMPTY: TeamState = { version: 1, teams: [], members: [], apps: {} };

/** The state; the empty one before the first team. A file that cannot be read is an error: access rules never fall back to "no rules". */
export async function readTeamState(homeRoot: string): Promise<TeamState> {
	let text: string;
	try {
		text = await readFile(teamStatePath(homeRoot), "utf8");
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === "ENOENT") return structuredClone(EMPTY);
		throw error;
	}
	const parsed = teamState.safeParse(JSON.parse(text));
	if (!parsed.success) throw new DeployError("TEAM_STATE_INVALID", `${teamStatePath(homeRoot)} is not a valid team state.`, "Restore it from a backup; the agent refuses every member until it can read it.");
	return parsed.data;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Reads, changes and writes the state, one change at a time in this daemon (its only
 * writer): `change` returns the new state (or throws, and nothing is written) and a value.
 */
export function changeTeamState<T>(homeRoot: string, change: (state: TeamState) => Promise<{ state: TeamState; value: T }> | { state: TeamState; value: T }): Promise<T> {
	const run = queue.then(async () => {
		const { state, value } = await change(await readTeamState(homeRoot));
		await writeJsonAtomic(teamStatePath(homeRoot), state);
		return value;
	});
	queue = run.catch(() => undefined);
	return run;
}
