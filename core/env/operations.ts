import { chmod, readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { EnvChangeResult, EnvImportInput, EnvListInput, EnvListResult, EnvPullInput, EnvPullResult, EnvSetInput, EnvUnsetInput } from "../api/env.js";
import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import { withAppSession, withStore } from "../deploy/target.js";
import { MASKED_VALUE } from "../projects/config.js";
import type { AgentSession } from "../provider.js";
import { type EnvEnvironment, envValue } from "../protocol/env.js";
import { DeployError } from "../protocol/index.js";
import { dotenvValues, parseDotenv } from "./dotenv.js";
import { readEnvCache, writeEnvCache } from "./local-cache.js";
import { mergeIntoDotenv } from "./pull-merge.js";


/**
 * Errors that mean "the server cannot be reached": `env ls` then shows this machine's copy.
 * PREVIEW_NOT_RUNNING (issue 14): `env ls -s local` answers from that copy rather than start the preview.
 */
const UNREACHABLE = new Set(["SSH_CONNECT_FAILED", "AGENT_DISCONNECTED", "SESSION_CLOSED", "AGENT_UNREACHABLE", "PREVIEW_NOT_RUNNING"]);

const callOptions = (options: StreamOptions) => ({ ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}) });

/** `deploy env ls`: names and dates, values masked unless revealed; this machine's sealed copy when the server is unreachable. */
export async function listEnv(context: ApiContext, input: EnvListInput, options: StreamOptions = {}): Promise<EnvListResult> {
	const { reveal = false, key, environment = "production", ...where } = input;
	const mask = (value: string) => (reveal ? value : MASKED_VALUE);
	const asked = (v: { key: string }) => key === undefined || v.key === key;
	let known: { app: string; server: string } | null = null;
	try {
		return await withAppSession(context, where, options, async (session, app, resolved) => {
			known = { app, server: resolved.server };
			// Values travel only when asked for: a member may list the names but not reveal (agents/access/rules.ts),
			// and a listing need not carry every secret. The sealed copy is refreshed by reveals and changes.
			const listing = reveal ? await refreshCache(session, resolved.server, app, environment) : await session.rpc.call("env.list", { app, environment, reveal: false });
			const vars = listing.vars.filter(asked).map((v) => ({ key: v.key, value: mask(v.value ?? ""), updatedAt: v.updatedAt }));
			return { app, server: resolved.server, environment, vars, cached: false, fetchedAt: new Date().toISOString() };
		}, "read");
	} catch (error) {
		const code = (error as { code?: string }).code;
		const at = known as { app: string; server: string } | null;
		if (!at || !code || !UNREACHABLE.has(code)) throw error;
		const copy = await readEnvCache(at.server, at.app, environment);
		if (!copy) throw error;
		return { app: at.app, server: at.server, environment, vars: copy.vars.filter(asked).map((v) => ({ ...v, value: mask(v.value) })), cached: true, fetchedAt: copy.fetchedAt };
	}
}

export async function setEnv(context: ApiContext, input: EnvSetInput, options: StreamOptions = {}): Promise<EnvChangeResult> {
	const { vars, wait = true, environment = "production", ...rest } = input;
	const where = { ...rest, environment };
	if (Object.keys(vars).length === 0) throw new DeployError("BAD_ARGUMENT", "Nothing to set.", "Write KEY=VALUE, e.g. `deploy env set GREETING=hi`.");
	return changeEnv(context, where, { set: vars, unset: [] }, wait, options);
}

export async function unsetEnv(context: ApiContext, input: EnvUnsetInput, options: StreamOptions = {}): Promise<EnvChangeResult> {
	const { keys, wait = true, environment = "production", ...rest } = input;
	const where = { ...rest, environment };
	return changeEnv(context, where, { set: {}, unset: keys }, wait, options);
}

/** `deploy env import <file>`: every variable of a .env file in one release; a file with a bad line changes nothing. */
export async function importEnv(context: ApiContext, input: EnvImportInput, options: StreamOptions = {}): Promise<EnvChangeResult> {
	const { file, wait = true, environment = "production", ...rest } = input;
	const where = { ...rest, environment };
	const path = resolve(where.dir ?? ".", file);
	const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
		throw new DeployError("FILE_UNREADABLE", `Cannot read ${path}: ${error.code ?? error.message}.`, "Check the path of the .env file.");
	});
	const parsed = parseDotenv(text);
	if (parsed.problems.length > 0) {
		throw new DeployError("BAD_ARGUMENT", `${path} is not a valid .env file: ${parsed.problems[0]}.`, "Fix the lines named below; nothing was changed.", parsed.problems);
	}
	const vars = dotenvValues(parsed);
	if (Object.keys(vars).length === 0) throw new DeployError("BAD_ARGUMENT", `${path} sets no variables.`, "Write one KEY=VALUE per line.");
	const tooLong = Object.entries(vars).find(([, value]) => !envValue.safeParse(value).success);
	if (tooLong) throw new DeployError("BAD_ARGUMENT", `The value of ${tooLong[0]} is longer than 64 KiB.`, "Keep large files out of env; nothing was changed.");
	return changeEnv(context, where, { set: vars, unset: [] }, wait, options);
}

/** `deploy env pull [file]`: the server's values merged into a local .env file (0600); keys only it has are kept. */
export async function pullEnv(context: ApiContext, input: EnvPullInput, options: StreamOptions = {}): Promise<EnvPullResult> {
	const { file = ".env", environment = "production", ...where } = input;
	const path = resolve(where.dir ?? ".", file);
	return withAppSession(context, where, options, async (session, app, resolved) => {
		const listing = await refreshCache(session, resolved.server, app, environment);
		const server = Object.fromEntries(listing.vars.map((v) => [v.key, v.value ?? ""]));
		const local = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
			if (error.code === "ENOENT") return "";
			throw new DeployError("FILE_UNREADABLE", `Cannot read ${path}: ${error.code ?? error.message}.`, "Check the path of the .env file.");
		});
		const { text, report } = mergeIntoDotenv(local, server);
		if (text !== local) {
			await writeFile(path, text, { mode: 0o600 });
			await chmod(path, 0o600);
		}
		return { app, server: resolved.server, environment, file: path, ...report };
	});
}

async function changeEnv(
	context: ApiContext,
	where: { dir?: string | undefined; app?: string | undefined; server?: string | undefined; environment: EnvEnvironment },
	change: { set: Record<string, string>; unset: string[] },
	wait: boolean,
	options: StreamOptions,
): Promise<EnvChangeResult> {
	const { environment, ...rest } = where;
	return withAppSession(context, rest, options, async (session, app, resolved) => {
		const result = await session.rpc.call("env.change", { app, environment, set: change.set, unset: change.unset, wait }, callOptions(options));
		await refreshCache(session, resolved.server, app, environment);
		if (result.deployment) {
			const deployment = result.deployment;
			await withStore(async (store) => {
				for (const each of [deployment, ...(await session.rpc.call("deployments.list", { app, limit: 20 }))]) await store.deployments.record({ ...each, server: resolved.server });
			});
		}
		return { app, server: resolved.server, environment, summary: result.summary, deployment: result.deployment };
	});
}

/** The server's values, kept sealed on this machine as well. */
async function refreshCache(session: AgentSession, server: string, app: string, environment: EnvEnvironment) {
	const listing = await session.rpc.call("env.list", { app, environment, reveal: true });
	await writeEnvCache(server, app, environment, listing.vars);
	return listing;
}
