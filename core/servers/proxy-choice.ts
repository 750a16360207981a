// Issue 14, item 14: which proxy works on a server, from what a read-only look found
// there (pure: tested by equality). A proxy already installed is used as it is, with no
// download; otherwise Traefik, the default, comes from its checksum-verified release.
export type ProxyChoiceKind = "caddy" | "traefik";

export interface FoundProxy {
	path: string;
	version: string | null;
}

export interface ProxyOption {
	kind: ProxyChoiceKind;
	/** On the server already (PATH, or the agent's bin/); null when `servers add` installs it. */
	installed: FoundProxy | null;
	/** What choosing it means, for a person. */
	note: string;
}

const MARK = "deploy-probe:";

/**
 * Read-only, as the login: which proxy binaries exist (and their versions), and the TCP
 * ports something listens on (/proc/net/tcp{,6}, state 0A), so a port in use is told
 * before the proxy fails to bind it.
 */
export const PROXY_PROBE_SCRIPT = `home="\${DEPLOY_AGENT_HOME:-/var/lib/deploy}"
for p in caddy traefik; do
  path=$(command -v "$p" 2>/dev/null) || path=
  if [ -z "$path" ] && [ -x "$home/bin/$p" ]; then path="$home/bin/$p"; fi
  if [ -n "$path" ]; then printf '${MARK} %s=%s\\t%s\\n' "$p" "$path" "$("$path" version 2>/dev/null | head -n 1)"; fi
done
cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" { n = split($2, a, ":"); print "${MARK} listen=" a[n] }'
exit 0
`;

export interface ProxyProbe {
	found: Partial<Record<ProxyChoiceKind, FoundProxy>>;
	listening: number[];
}

export function parseProxyProbe(output: string): ProxyProbe {
	const found: ProxyProbe["found"] = {};
	const listening = new Set<number>();
	for (const line of output.split("\n")) {
		if (!line.startsWith(MARK)) continue;
		const [key, value = ""] = splitOnce(line.slice(MARK.length).trim(), "=");
		if (key === "listen") {
			const port = Number.parseInt(value, 16);
			if (port > 0 && port < 65536) listening.add(port);
		} else if (key === "caddy" || key === "traefik") {
			const [path, versionLine = ""] = splitOnce(value, "\t");
			if (path) found[key] = { path, version: /\d+\.\d+\.\d+/.exec(versionLine)?.[0] ?? null };
		}
	}
	return { found, listening: [...listening].sort((a, b) => a - b) };
}

/** The options in the form's order, and the one that works without a download (else the default). */
export function proxyOptions(probe: ProxyProbe): { options: ProxyOption[]; recommended: ProxyChoiceKind } {
	const describe = (kind: ProxyChoiceKind): ProxyOption => {
		const installed = probe.found[kind] ?? null;
		if (installed) return { kind, installed, note: `installed on the server${installed.version ? ` (${installed.version})` : ""} at ${installed.path}: used as it is` };
		return { kind, installed, note: kind === "caddy" ? "not installed: Debian's caddy package, else its release, is installed" : "not installed: its release is downloaded and checked against its checksums" };
	};
	const options = [describe("traefik"), describe("caddy")];
	const recommended = options.find((option) => option.installed)?.kind ?? "traefik";
	return { options, recommended };
}

function splitOnce(text: string, separator: string): [string, string?] {
	const at = text.indexOf(separator);
	return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
