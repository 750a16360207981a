import { join } from "node:path";
import { DeployError } from "../../core/protocol/index.js";
import type { HasHome, HasSetup } from "../context/parts.js";
import { servedSite } from "../deploy/served-site.js";
import { appPaths } from "../home.js";
import { type AppLogLine, parseAppLogLine } from "../processes/app-log-line.js";
import { type AppLogFilter, isFiltered, matcher, queryAppLog } from "../processes/app-log-query.js";
import type { Supervisor } from "../processes/supervisor.js";
import { followAccessLog, mergeByTime, queryAccessLog } from "../proxy/access-log-query.js";
import { accessLogPath } from "../proxy/caddy/access-log.js";
import { RouteStore } from "../proxy/route-store.js";
import { followLines, lastLines } from "../util/tail.js";
import type { Handler } from "./call.js";

/** Lines sent when --since asks for "everything since" and -n was not given. */
const SINCE_LIMIT = 100_000;

/**
 * The app's output: the last lines (matching the filters), then, with follow, new
 * ones until the client cancels. Each line goes out as the app wrote it, with the
 * time and instance beside it. A static site the proxy serves has no output of its
 * own: its requests in the proxy's access log come with it, in time order (issue 14).
 */
export const logs: Handler<"logs"> = async ({ app, lines, follow, since, grep, instance }, { agent, signal, emit }) => {
	const path = appPaths(agent.home, app).appLog;
	const site = (await servedSite(agent, app)) ? await siteAccess(agent, app) : null;
	const filter: AppLogFilter = { sinceMs: since ? Date.parse(since) : undefined, grep, instance: instance === undefined ? undefined : instanceLabel(agent.supervisor, app, instance, site?.proxy) };
	// An instance's lines only: the proxy's are nobody's instance.
	const access = filter.instance === undefined ? site : null;
	const limit = lines ?? (since ? SINCE_LIMIT : 100);
	let sent = 0;
	const send = (line: AppLogLine) => {
		sent += 1;
		emit({ type: "log", stream: "stdout", line: line.text, ...(line.time ? { time: line.time } : {}), ...(line.instance ? { instance: line.instance } : {}) });
	};
	const own = await readAppLog(path, filter, limit);
	const requests = access ? await queryAccessLog(access.path, access.hosts, access.proxy, filter, limit) : { lines: [], size: 0 };
	const merged = mergeByTime(own.lines, requests.lines);
	for (const line of merged.slice(Math.max(0, merged.length - limit))) send(line);
	if (follow) {
		const keep = matcher(filter);
		await Promise.all([
			followLines(path, own.size, signal, (text) => {
				const line = parseAppLogLine(text);
				if (keep(line)) send(line);
			}),
			...(access ? [followAccessLog(access.path, requests.size, access.hosts, access.proxy, filter, signal, send)] : []),
		]);
	}
	return { lines: sent };
};

/** The last `limit` lines of app.log and its rotated files that pass the filter, and app.log's size. */
async function readAppLog(path: string, filter: AppLogFilter, limit: number): Promise<{ lines: AppLogLine[]; size: number }> {
	if (isFiltered(filter)) return queryAppLog(path, filter, limit);
	const tail = await lastLines(path, limit);
	return { lines: tail.lines.map(parseAppLogLine), size: tail.size };
}

/** Where a static site's requests are logged, and which hosts are its: those of its route. */
async function siteAccess(agent: HasHome & HasSetup, app: string): Promise<{ path: string; hosts: Set<string>; proxy: string } | null> {
	const route = await new RouteStore(join(agent.home.proxy, "routes")).get(app);
	if (!route || !agent.setup) return null;
	return { path: accessLogPath(agent.home.proxy), hosts: new Set(route.hosts.map((host) => host.toLowerCase())), proxy: agent.setup.proxy };
}

/**
 * `--instance N`: the Nth row of `deploy ps` for the app (processes by name, then
 * ports), or, for a number no row has, a port (an instance that is gone still has lines).
 */
function instanceLabel(supervisor: Supervisor, app: string, n: number, servedBy?: string): string {
	const rows = supervisor.instancesOf(app).sort((a, b) => a.record.process.localeCompare(b.record.process) || a.record.port - b.record.port);
	const row = rows[n - 1];
	if (row) return `${row.record.process}:${row.record.port}`;
	const byPort = rows.find((i) => i.record.port === n);
	if (byPort) return `${byPort.record.process}:${byPort.record.port}`;
	if (servedBy && rows.length === 0) {
		throw new DeployError("UNKNOWN_INSTANCE", `${app} is a static site that ${servedBy} serves: it has no instances.`, "Leave out --instance: `deploy logs` shows the requests to its hosts from the proxy's access log.");
	}
	if (n >= 1024) return `*:${n}`;
	throw new DeployError("UNKNOWN_INSTANCE", `${app} has ${rows.length} instance(s); there is no instance ${n}.`, "Use a row number of `deploy ps` (1 is the first row), or an instance's port.");
}
