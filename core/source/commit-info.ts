import { branchName, COMMIT_MESSAGE_MAX } from "../protocol/source-info.js";

// Issue 14: the branch and the commit's subject travel with a deploy and are printed by
// every front, so they are made into what the wire accepts here, once: one line of text.

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROLS = /[\x00-\x1f\x7f-\x9f]+/g;

/** The first non-empty line of a commit message, control characters as spaces, cut to COMMIT_MESSAGE_MAX; null when nothing is left. Pure. */
export function commitSubject(message: string | null): string | null {
	if (message === null) return null;
	const line = message.split("\n").find((each) => each.trim() !== "") ?? "";
	const text = line.replace(CONTROLS, " ").replace(/\s+/g, " ").trim();
	if (text === "") return null;
	if (text.length <= COMMIT_MESSAGE_MAX) return text;
	// Cut between characters (never inside a surrogate pair), measured as the schema measures: in UTF-16 units.
	let cut = "";
	for (const character of text) {
		if (cut.length + character.length > COMMIT_MESSAGE_MAX - 1) break;
		cut += character;
	}
	return `${cut}…`;
}

/** The branch as the agent accepts it, or null (a name git would refuse is not worth a failed deploy). Pure. */
export function cleanBranch(branch: string | null): string | null {
	return branch !== null && branchName.safeParse(branch).success ? branch : null;
}
