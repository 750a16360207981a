import { appendFile, mkdir, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type ScalingDecision, scalingDecision } from "../../core/protocol/scaling.js";
import { writeFileAtomic } from "../fs/atomic-write.js";
import { type AgentHome, appPaths } from "../home.js";

/** Past this size the log is cut to its newest KEEP_LINES lines: a few hundred KB per app at most. */
const MAX_BYTES = 256 * 1024;
const KEEP_LINES = 1000;

export function decisionLogPath(home: AgentHome, app: string): string {
	return join(appPaths(home, app).dir, "autoscale.jsonl");
}

/**
 * apps/<app>/autoscale.jsonl: one decision per line, appended (a line is one write,
 * so a crash loses at most the line being written), bounded by rewriting it to its
 * newest lines atomically once it grows past MAX_BYTES. Decisions hold no env or secret.
 */
export async function appendDecision(home: AgentHome, decision: ScalingDecision): Promise<void> {
	const path = decisionLogPath(home, decision.app);
	await mkdir(dirname(path), { recursive: true });
	await appendFile(path, `${JSON.stringify(decision)}\n`);
	const size = await stat(path).then((s) => s.size);
	if (size > MAX_BYTES) {
		const lines = (await readFile(path, "utf8")).split("\n").filter(Boolean);
		await writeFileAtomic(path, `${lines.slice(-KEEP_LINES).join("\n")}\n`);
	}
}

/** The newest `limit` decisions, oldest first; lines that do not parse (a torn write) are skipped. */
export async function readDecisions(home: AgentHome, app: string, limit: number): Promise<ScalingDecision[]> {
	const text = await readFile(decisionLogPath(home, app), "utf8").catch(() => "");
	const decisions: ScalingDecision[] = [];
	for (const line of text.split("\n")) {
		if (!line) continue;
		try {
			const parsed = scalingDecision.safeParse(JSON.parse(line));
			if (parsed.success) decisions.push(parsed.data);
		} catch {
			// a torn last line
		}
	}
	return decisions.slice(-limit);
}
