// Issue 12: what `servers add` learns of a server before it changes anything, in one
// exec of plain sh (no Node there yet): who the login is and whether it may be root,
// the system, the machine, systemd, and the tools the runtime's download needs.
import { type OsRelease, parseOsRelease } from "../../protocol/server-os.js";

const MARK = "deploy-probe:";

export const PROBE_SCRIPT = `p() { printf '${MARK} %s=%s\\n' "$1" "$2"; }
p uid "$(id -u)"
p user "$(id -un)"
if [ "$(id -u)" = 0 ]; then p sudo root
elif ! command -v sudo >/dev/null 2>&1; then p sudo missing
elif out=$(sudo -n true 2>&1); then p sudo ok
else p sudo denied; p sudo_message "$(printf '%s' "$out" | head -n 1)"; fi
[ -r /etc/os-release ] && p os_release "$(base64 < /etc/os-release | tr -d '\\n')"
p machine "$(uname -m)"
if [ -d /run/systemd/system ]; then p systemd running
elif command -v systemctl >/dev/null 2>&1; then p systemd offline
else p systemd absent; fi
if command -v curl >/dev/null 2>&1; then p downloader curl
elif command -v wget >/dev/null 2>&1; then p downloader wget
else p downloader none; fi
command -v xz >/dev/null 2>&1 && p xz yes
command -v apt-get >/dev/null 2>&1 && p apt yes
p node "$(node --version 2>/dev/null)"
p home "\${DEPLOY_AGENT_HOME:-/var/lib/deploy}"
`;

export interface ServerFacts {
	uid: number;
	user: string;
	/** root: the login is root; ok: passwordless sudo; denied: sudo wants a password (or refuses); missing: no sudo. */
	sudo: "root" | "ok" | "denied" | "missing";
	sudoMessage: string | null;
	os: OsRelease;
	/** uname -m */
	machine: string;
	systemd: "running" | "offline" | "absent";
	downloader: "curl" | "wget" | "none";
	xz: boolean;
	apt: boolean;
	/** The server's own Node.js, if any: never changed, only told. */
	node: string | null;
	/** The agent's home on the server (root's). */
	home: string;
}

/** The probe's output as facts (pure: tested by equality). Lines that are not the probe's (a chatty rc file) are ignored. */
export function parseProbe(output: string): ServerFacts {
	const values = new Map<string, string>();
	for (const line of output.split("\n")) {
		if (!line.startsWith(MARK)) continue;
		const rest = line.slice(MARK.length).trim();
		const eq = rest.indexOf("=");
		if (eq > 0) values.set(rest.slice(0, eq), rest.slice(eq + 1));
	}
	const get = (key: string) => values.get(key) ?? "";
	const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T => ((allowed as readonly string[]).includes(value) ? (value as T) : fallback);
	const osText = get("os_release") ? Buffer.from(get("os_release"), "base64").toString("utf8") : "";
	return {
		uid: Number.parseInt(get("uid"), 10),
		user: get("user"),
		sudo: oneOf(get("sudo"), ["root", "ok", "denied", "missing"], "missing"),
		sudoMessage: get("sudo_message") || null,
		os: parseOsRelease(osText),
		machine: get("machine"),
		systemd: oneOf(get("systemd"), ["running", "offline", "absent"], "absent"),
		downloader: oneOf(get("downloader"), ["curl", "wget", "none"], "none"),
		xz: get("xz") === "yes",
		apt: get("apt") === "yes",
		node: get("node") || null,
		home: get("home") || "/var/lib/deploy",
	};
}
