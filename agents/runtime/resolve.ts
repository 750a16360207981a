// Issue 12: from what an app asks for to the one Node.js release it builds and runs on.
// Pure: tested by equality. No download when a release already on the server will do:
// the agent's own first, then one an app installed before (runtimes are shared).
import maxSatisfying from "semver/ranges/max-satisfying.js";
import satisfies from "semver/functions/satisfies.js";
import { DeployError } from "../../core/protocol/index.js";
import { isValidRange, type NodeRequest } from "./request.js";

/** One release of the mirror's index.json, as far as the choice needs it. */
export interface IndexRelease {
	/** Without the "v": 22.23.5. */
	version: string;
	/** The LTS codename ("jod"), or null for a Current release. */
	lts: string | null;
	/** Whether the mirror has the linux tarball for this machine. */
	available: boolean;
}

export type Resolution =
	| { version: string; from: "agent" | "installed" }
	| { version: string; from: "download" }
	/** The choice needs the mirror's index (a range nothing installed satisfies, lts/*, latest). */
	| { needsIndex: true };

export function resolveNodeVersion(request: NodeRequest | null, facts: { agent: string; installed: readonly string[]; index: readonly IndexRelease[] | null }): Resolution {
	if (!request) return { version: facts.agent, from: "agent" };
	const range = request.kind === "range" ? request.range : lineOf(request, facts.index);
	if (range === null) return { needsIndex: true };
	if (!isValidRange(range)) throw impossible(request, "is not a version range");
	if (satisfies(facts.agent, range)) return { version: facts.agent, from: "agent" };
	const installed = maxSatisfying([...facts.installed], range);
	if (installed) return { version: installed, from: "installed" };
	if (!facts.index) return { needsIndex: true };
	const published = maxSatisfying(
		facts.index.filter((r) => r.available).map((r) => r.version),
		range,
	);
	if (!published) throw impossible(request, "matches no Node.js release");
	return { version: published, from: "download" };
}

/** lts/* and latest name a release line by the index: its newest major, as a range. */
function lineOf(request: Exclude<NodeRequest, { kind: "range" }>, index: readonly IndexRelease[] | null): string | null {
	if (!index) return null;
	const candidates = index.filter((r) => r.available && (request.kind === "latest" || (r.lts !== null && (request.codename === null || r.lts === request.codename))));
	const newest = maxSatisfying(
		candidates.map((r) => r.version),
		"*",
	);
	if (!newest) throw impossible(request, request.kind === "lts" ? `names no LTS line the mirror has${request.codename ? ` (${request.codename})` : ""}` : "finds no release on the mirror");
	return `${newest.split(".")[0]}.x`;
}

function impossible(request: NodeRequest, why: string): DeployError {
	const asked = request.kind === "range" ? `"${request.range}"` : request.kind === "lts" ? `lts/${request.codename ?? "*"}` : "the latest release";
	return new DeployError(
		"NODE_VERSION_UNAVAILABLE",
		`${request.source} asks for Node.js ${asked}, which ${why}. Nothing was built.`,
		`Change ${request.source} to a range of released versions, e.g. ">=20" or "22.x".`,
	);
}
