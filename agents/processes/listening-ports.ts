import { readdir, readFile, readlink } from "node:fs/promises";

// Issue 14, item 4: which TCP ports an instance listens on, so a health check that
// waits on $PORT can tell "not up yet" from "up, on a port of its own choosing"
// (`app.listen(3000)`). Linux only: the LISTEN sockets of /proc/<pid>/net/tcp{,6}
// (the instance's network namespace), matched by inode to the socket fds of every
// process of the instance (`npm start` -> sh -> node). Reading another user's fds needs
// root or the same user: both hold here (issue 13: a root agent runs apps as users of
// their own; an agent that is not root runs them as itself). Anywhere /proc cannot be
// read, the answer is "none seen" and the health check simply waits as before.

/** What /proc/<pid>/stat says of a process's place in the tree. */
export interface ProcessLink {
	pid: number;
	ppid: number;
	pgid: number;
}

const LISTEN = "0A";

/**
 * The listening sockets of a /proc/net/tcp or tcp6 table: inode -> port. Pure.
 * A row: `sl local_address rem_address st ... uid timeout inode`, addresses as hex `ADDR:PORT`.
 */
export function listeningInodes(table: string): Map<string, number> {
	const found = new Map<string, number>();
	for (const row of table.split("\n").slice(1)) {
		const fields = row.trim().split(/\s+/);
		if (fields[3] !== LISTEN || !fields[1] || !fields[9]) continue;
		const port = Number.parseInt(fields[1].slice(fields[1].lastIndexOf(":") + 1), 16);
		if (port > 0 && fields[9] !== "0") found.set(fields[9], port);
	}
	return found;
}

/**
 * The pids of an instance: its leader (spawned detached, so its pid is its process
 * group's id), every process of that group, and their descendants wherever they moved
 * (a child that called setsid keeps its parent). Pure.
 */
export function instanceTree(leader: number, links: readonly ProcessLink[]): number[] {
	const children = new Map<number, number[]>();
	for (const link of links) children.set(link.ppid, [...(children.get(link.ppid) ?? []), link.pid]);
	const tree = new Set([leader, ...links.filter((link) => link.pgid === leader).map((link) => link.pid)]);
	const queue = [...tree];
	while (queue.length > 0) {
		for (const child of children.get(queue.pop()!) ?? []) {
			if (tree.has(child)) continue;
			tree.add(child);
			queue.push(child);
		}
	}
	return [...tree].sort((a, b) => a - b);
}

/** The TCP ports the instance led by `leader` listens on now, ascending; empty when it listens on none (or /proc says nothing). */
export async function listeningPorts(leader: number): Promise<number[]> {
	if (leader <= 0) return [];
	const [v4, v6] = await Promise.all([readFile(`/proc/${leader}/net/tcp`, "utf8").catch(() => ""), readFile(`/proc/${leader}/net/tcp6`, "utf8").catch(() => "")]);
	const sockets = new Map([...listeningInodes(v4), ...listeningInodes(v6)]);
	if (sockets.size === 0) return [];
	const ports = new Set<number>();
	for (const pid of instanceTree(leader, await processLinks())) {
		for (const inode of await socketInodes(pid)) {
			const port = sockets.get(inode);
			if (port !== undefined) ports.add(port);
		}
	}
	return [...ports].sort((a, b) => a - b);
}

async function processLinks(): Promise<ProcessLink[]> {
	const names = (await readdir("/proc").catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
	const links = await Promise.all(
		names.map(async (name) => {
			const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => null);
			if (!stat) return null;
			// After the command name (which may hold spaces and parentheses): state, ppid, pgrp.
			const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			return { pid: Number(name), ppid: Number(ppid), pgid: Number(pgid) };
		}),
	);
	return links.filter((link) => link !== null);
}

/** The inodes of a process's open sockets (`socket:[12345]` links in /proc/<pid>/fd). */
async function socketInodes(pid: number): Promise<string[]> {
	const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
	const targets = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")));
	return targets.flatMap((target) => (target.startsWith("socket:[") ? [target.slice(8, -1)] : []));
}
