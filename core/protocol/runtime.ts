// Issue 12: the Node.js runtimes the agent owns. The agent runs on a pinned LTS that
// `servers add` installs under its home, whatever Node the server has; each app runs on
// the major its engines.node asks for, installed the same way. Client and agent share
// this file: the client installs the agent's runtime before any Node exists on the
// server, the agent installs the apps' ones later, with the same script.

/** The Node.js the agent and its units run on. A new client pins a newer one; `servers upgrade` installs it. */
export const AGENT_NODE_VERSION = "24.22.3";

/** Where Node.js releases come from: the official dist layout (index.json, v<ver>/node-v<ver>-linux-<arch>.tar.xz, v<ver>/SHASUMS256.txt). */
export const DEFAULT_NODE_MIRROR = "https://nodejs.org/dist";

export type NodeArch = "x64" | "arm64";

/** The folder of the agent's home that holds every runtime, one folder each. */
export const RUNTIMES_DIR = "runtimes";

/** `runtimes/agent`: a symlink to the agent's own runtime, switched atomically by an upgrade. */
export const AGENT_RUNTIME_LINK = "agent";

/** The folder name of one runtime inside runtimes/, the same as the official tarball's top folder. */
export function runtimeFolder(version: string, arch: NodeArch): string {
	return `node-v${version}-linux-${arch}`;
}

/** The file in a runtime folder that says it was unpacked from a tarball whose sha256 matched SHASUMS256.txt. */
export const VERIFIED_MARKER = ".verified";

/** The prefix of the marker lines the install script prints (parsed by `parseRuntimeMarker`). */
const MARK = "deploy-runtime:";

/**
 * Installs one Node.js release from a mirror in the official dist layout, or finds it
 * installed: $1 mirror URL, $2 version (24.22.3), $3 arch (x64|arm64), $4 the runtimes
 * folder, $5 "link" to point runtimes/agent at it. The tarball is checked against the
 * release's own SHASUMS256.txt before anything is unpacked, and it takes its place by
 * one rename, so a refused or interrupted download leaves nothing installed. POSIX sh,
 * curl or wget, sha256sum, tar with xz: what Debian and Ubuntu images have. Under umask
 * 077: a runtimes/ it makes is the agent's alone, and it never opens one (issue 13;
 * agents/isolation opens what the apps' users need).
 */
export const INSTALL_NODE_SCRIPT = `set -u
umask 077
mirror=\${1%/} version=$2 arch=$3 dir=$4 link=\${5:-}
name="node-v$version-linux-$arch"
target="$dir/$name"
mark() { echo "${MARK} $*"; }
point() {
	[ "$link" = link ] || return 0
	ln -sfn "$name" "$dir/.agent.$$" && mv -Tf "$dir/.agent.$$" "$dir/agent" || { rm -f "$dir/.agent.$$"; mark link-failed; exit 8; }
}
if [ -f "$target/${VERIFIED_MARKER}" ] && [ "$("$target/bin/node" --version 2>/dev/null)" = "v$version" ]; then
	point; mark present "$name"; exit 0
fi
if command -v curl >/dev/null 2>&1; then fetch() { curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then fetch() { wget -q -T 20 -O "$2" "$1"; }
else mark no-downloader; exit 3; fi
command -v xz >/dev/null 2>&1 || { mark no-xz; exit 3; }
mkdir -p "$dir" || { mark unwritable "$dir"; exit 9; }
tmp=$(mktemp -d "$dir/.install.XXXXXX") || { mark unwritable "$dir"; exit 9; }
trap 'rm -rf "$tmp"' EXIT
fetch "$mirror/v$version/SHASUMS256.txt" "$tmp/SHASUMS256.txt" || { mark download-failed "$mirror/v$version/SHASUMS256.txt"; exit 4; }
expected=$(awk -v f="$name.tar.xz" '$2 == f { print $1 }' "$tmp/SHASUMS256.txt")
[ -n "$expected" ] || { mark not-listed "$name.tar.xz"; exit 5; }
fetch "$mirror/v$version/$name.tar.xz" "$tmp/node.tar.xz" || { mark download-failed "$mirror/v$version/$name.tar.xz"; exit 4; }
actual=$(sha256sum "$tmp/node.tar.xz") && actual=\${actual%% *}
[ "$actual" = "$expected" ] || { mark checksum-mismatch "$expected" "$actual"; exit 6; }
mkdir "$tmp/unpack" && tar -xJf "$tmp/node.tar.xz" -C "$tmp/unpack" --no-same-owner || { mark unpack-failed; exit 7; }
[ "$("$tmp/unpack/$name/bin/node" --version 2>/dev/null)" = "v$version" ] || { mark unpack-failed; exit 7; }
echo "$actual" > "$tmp/unpack/$name/${VERIFIED_MARKER}"
rm -rf "$target" && mv "$tmp/unpack/$name" "$target" || { mark unwritable "$dir"; exit 9; }
point
mark installed "$name" "$actual"
`;

export type RuntimeMarker =
	| { kind: "present" | "installed"; folder: string; sha256?: string }
	| { kind: "checksum-mismatch"; expected: string; actual: string }
	| { kind: "download-failed" | "not-listed" | "unwritable"; what: string }
	| { kind: "no-downloader" | "no-xz" | "unpack-failed" | "link-failed" };

/** The last marker line of the install script's output; null when it printed none (it did not run). */
export function parseRuntimeMarker(output: string): RuntimeMarker | null {
	const line = output
		.split("\n")
		.filter((l) => l.startsWith(MARK))
		.pop();
	if (!line) return null;
	const [kind = "", a = "", b = ""] = line.slice(MARK.length).trim().split(/\s+/);
	switch (kind) {
		case "present":
		case "installed":
			return { kind, folder: a, ...(b ? { sha256: b } : {}) };
		case "checksum-mismatch":
			return { kind, expected: a, actual: b };
		case "download-failed":
		case "not-listed":
		case "unwritable":
			return { kind, what: a };
		case "no-downloader":
		case "no-xz":
		case "unpack-failed":
		case "link-failed":
			return { kind };
		default:
			return null;
	}
}

/** `uname -m` as Node's dist names it; null for an architecture it does not publish for Linux here. */
export function nodeArch(machine: string): NodeArch | null {
	if (machine === "x86_64" || machine === "amd64") return "x64";
	if (machine === "aarch64" || machine === "arm64") return "arm64";
	return null;
}
