// Opening the user's browser, best effort: a machine without one still has the
// printed URL. Whatever we open ends up in the opener's command line, which every
// user of the machine can read: callers pass a launch page's file: URL, never a secret.
import { delimiter } from "node:path";
import { execa } from "execa";

export interface OpenerCommand {
	command: string;
	args: string[];
}

/**
 * $BROWSER first (the convention of xdg-utils and Python's webbrowser: a list of
 * commands, the first is used; `%s` stands for the target, else it is appended),
 * then the platform's opener.
 */
export function openerCommand(target: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): OpenerCommand {
	const chosen = (env.BROWSER ?? "").split(delimiter).find((entry) => entry.trim() !== "");
	if (chosen) {
		const [command, ...words] = chosen.trim().split(/\s+/) as [string, ...string[]];
		const args = words.some((word) => word.includes("%s")) ? words.map((word) => word.replaceAll("%s", target)) : [...words, target];
		return { command, args };
	}
	if (platform === "darwin") return { command: "open", args: [target] };
	if (platform === "win32") return { command: "cmd", args: ["/c", "start", '""', target] };
	return { command: "xdg-open", args: [target] };
}

export function openBrowser(target: string): void {
	const { command, args } = openerCommand(target);
	const child = execa(command, args, { detached: true, stdio: "ignore", reject: false, windowsVerbatimArguments: process.platform === "win32" && command === "cmd" });
	child.catch(() => undefined);
	child.unref();
}
