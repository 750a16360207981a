// Issue 12: which servers `servers add` sets up, read from /etc/os-release and `uname -m`.
// Pure: the client checks before it changes anything, the agent asks the same rules
// where it installs a package.

export interface OsRelease {
	id: string;
	versionId: string;
	prettyName: string;
	/** ID_LIKE: what a derivative says it is like (e.g. "debian" for Raspberry Pi OS). */
	idLike: string[];
}

/** The os-release file's KEY=value lines (values optionally quoted, as the spec allows). */
export function parseOsRelease(text: string): OsRelease {
	const values = new Map<string, string>();
	for (const line of text.split("\n")) {
		const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
		if (!match) continue;
		let value = match[2]!.trim();
		if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["'$`\\])/g, "$1");
		values.set(match[1]!, value);
	}
	return {
		id: values.get("ID") ?? "",
		versionId: values.get("VERSION_ID") ?? "",
		prettyName: values.get("PRETTY_NAME") ?? values.get("NAME") ?? "",
		idLike: (values.get("ID_LIKE") ?? "").split(/\s+/).filter(Boolean),
	};
}

/** What `servers add` sets up: Debian 11/12/13 and Ubuntu 22.04/24.04, on x86-64 or arm64. */
export const SUPPORTED_SYSTEMS: Readonly<Record<string, readonly string[]>> = { debian: ["11", "12", "13"], ubuntu: ["22.04", "24.04"] };
export const SUPPORTED_MACHINES = ["x86_64", "aarch64"] as const;

/** Null when supported; else what a person reads: what was found, and what is supported. */
export function unsupportedReason(os: OsRelease, machine: string): string | null {
	const versions = SUPPORTED_SYSTEMS[os.id];
	const system = versions?.includes(os.versionId) ? null : `${os.prettyName || `${os.id || "an unknown system"} ${os.versionId}`.trim()} (ID=${os.id || "?"}, VERSION_ID=${os.versionId || "?"} in /etc/os-release)`;
	const arch = (SUPPORTED_MACHINES as readonly string[]).includes(machine) ? null : `the architecture ${machine || "?"} (uname -m)`;
	if (!system && !arch) return null;
	const found = [system, arch].filter(Boolean).join(" and ");
	return `This server runs ${found}. Supported: Debian 11, 12 and 13, Ubuntu 22.04 and 24.04, on x86_64 or aarch64.`;
}

/** Debian 12+ and Ubuntu 24.04+ package Caddy; older releases get the official binary. */
export function distroPackagesCaddy(os: OsRelease): boolean {
	const version = Number.parseFloat(os.versionId);
	if (os.id === "debian") return version >= 12;
	if (os.id === "ubuntu") return version >= 24.04;
	return false;
}
