import { execa } from "execa";
import { DeployError } from "../../core/protocol/index.js";
import { LastLines, lineSplitter } from "../util/lines.js";

const APT_ENV = { DEBIAN_FRONTEND: "noninteractive", NEEDRESTART_MODE: "a" };

/** Whether dpkg has the package installed (not just known). */
export async function packageInstalled(name: string): Promise<boolean> {
	// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax, not a template
	const run = await execa("dpkg-query", ["-W", "-f=${Status}", name], { reject: false });
	return run.exitCode === 0 && String(run.stdout).includes("install ok installed");
}

/**
 * Installs Debian packages; when apt does not know them yet (package lists never
 * fetched, as on a fresh image), fetches the lists once and tries again. apt's own
 * output is kept for the error, not streamed: a person reads the step's line.
 */
export async function aptInstall(names: string[], onLine: (line: string) => void): Promise<void> {
	const output = new LastLines(15);
	const keep = (line: string) => output.push(line);
	onLine(`apt-get install ${names.join(" ")}`);
	const install = () => run(["install", "-y", "-q", "--no-install-recommends", ...names], keep);
	if ((await install()) === 0) return;
	onLine("apt-get update (the package lists did not know it), then again");
	if ((await run(["update", "-q"], keep)) !== 0 || (await install()) !== 0) {
		throw new DeployError("PACKAGE_INSTALL_FAILED", `apt-get could not install ${names.join(", ")}.`, "apt's last lines are shown with this error; check the server's package sources and that no other apt is running.", output.get());
	}
}

/**
 * Removes packages this install added, but only when apt would remove nothing else:
 * something the owner installed since may depend on them. Returns those it kept.
 */
export async function aptPurgeOnly(names: string[], onLine: (line: string) => void): Promise<string[]> {
	const simulated = await execa("apt-get", ["-s", "purge", ...names], { reject: false, env: APT_ENV });
	const removed = [...String(simulated.stdout).matchAll(/^(?:Purg|Remv) (\S+)/gm)].map((m) => m[1]!);
	const others = removed.filter((name) => !names.includes(name));
	if (simulated.exitCode !== 0 || others.length > 0) return names;
	if ((await run(["purge", "-y", "-q", ...names], onLine)) !== 0) return names;
	return [];
}

async function run(args: string[], onLine: (line: string) => void): Promise<number> {
	const child = execa("apt-get", args, { reject: false, env: APT_ENV, all: true, buffer: false, stdin: "ignore" });
	const lines = lineSplitter((line) => line.trim() && onLine(line.trimEnd()));
	child.all?.on("data", (chunk: Buffer) => lines.push(chunk));
	const result = await child;
	lines.flush();
	return result.exitCode ?? 1;
}
