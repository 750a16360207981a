// Issue 18: `agent.mjs git-hook <app>`, the app repository's pre-receive hook
// (repository.ts writes the script). It reads the ref updates git gives it, hands them to
// the daemon in one call (git.receive) with the push options and the quarantine's object
// folders, prints the call's events as the push's remote output, and exits non-zero when
// the call fails: git then rejects the push, so a branch on the server is only ever a
// commit that deployed. A push through a team member's key (agents/git/member-push.ts)
// speaks as that member, as the bridge does.
import { createInterface } from "node:readline";
import { resolve } from "node:path";
import { text } from "node:stream/consumers";
import { callerLineOf } from "../access/caller.js";
import { ensureDaemon } from "../bridge/connect.js";
import { tryConnect } from "../bridge/socket.js";
import type { AgentHome } from "../home.js";
import type { DeployEvent } from "../../core/protocol/events.js";
import type { ResultOf } from "../../core/protocol/methods.js";
import { errorLines, eventLine, resultLines } from "./push-output.js";
import { PUSH_CLIENT_ENV, PUSH_MEMBER_ENV } from "./member-push.js";

export async function runGitHook(home: AgentHome, app: string): Promise<void> {
	// The push's client may go away mid-deploy: writing to it then must not end this hook (the deploy goes on anyway).
	process.stderr.on("error", () => undefined);
	const updates = (await text(process.stdin))
		.split("\n")
		.filter(Boolean)
		.map((line) => {
			const [old, next, ref] = line.split(" ");
			return { old: old ?? "", new: next ?? "", ref: ref ?? "" };
		});
	const options = Array.from({ length: Number(process.env.GIT_PUSH_OPTION_COUNT ?? 0) }, (_, i) => process.env[`GIT_PUSH_OPTION_${i}`] ?? "").filter(Boolean);
	const directory = process.env.GIT_OBJECT_DIRECTORY;
	const objects = directory ? { directory: resolve(directory), alternates: (process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES ?? "").split(":").filter(Boolean).map((p) => resolve(p)) } : null;
	const say = (lines: string[]) => process.stderr.write(lines.map((l) => `${l}\n`).join(""));
	say([`-----> deploying ${app} from the push; the deploy runs in the agent and finishes even if this push is interrupted`]);
	await ensureDaemon(home);
	const socket = await tryConnect(home.socket);
	if (!socket) {
		say(errorLines({ code: "AGENT_UNREACHABLE", message: "The agent daemon is not listening.", hint: `Read ${home.log} on the server.` }));
		process.exitCode = 1;
		return;
	}
	const member = process.env[PUSH_MEMBER_ENV];
	if (member) socket.write(callerLineOf(member, process.env[PUSH_CLIENT_ENV]));
	socket.write(`${JSON.stringify({ id: 1, method: "git.receive", params: { app, updates, options, objects } })}\n`);
	let answered = false;
	// The log lines printed: a failed build's last lines come again as its error's details, and are not printed twice.
	const shown = new Set<string>();
	for await (const line of createInterface({ input: socket })) {
		let message: { id?: number; event?: unknown; result?: unknown; error?: { code: string; message: string; hint?: string; details?: string[] } };
		try {
			message = JSON.parse(line);
		} catch {
			continue;
		}
		if (message.id !== 1) continue;
		if (message.event) {
			const event = message.event as DeployEvent;
			const line = eventLine(event);
			if (line !== null) say([line]);
			if (event.type === "log") shown.add(event.line);
			continue;
		}
		answered = true;
		if (message.error) {
			say(errorLines(message.error, shown));
			process.exitCode = 1;
		} else {
			const { results } = message.result as ResultOf<"git.receive">;
			say(resultLines(results, shown));
			if (results.some((r) => r.outcome === "failed")) process.exitCode = 1;
		}
		break;
	}
	socket.destroy();
	if (!answered) {
		say(errorLines({ code: "AGENT_DISCONNECTED", message: "The agent daemon closed the connection before the deploy ended.", hint: "`deploy ls` shows how the deployment ended." }));
		process.exitCode = 1;
	}
}
