// Issue 18: `deploy git-remote` (git.remote) and a push's pre-receive hook (git.receive).
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DeploymentRecord } from "../../core/protocol/index.js";
import { ttlSeconds } from "../../core/protocol/previews.js";
import { DEFAULT_PREVIEW_TTL } from "../../core/protocol/previews.js";
import { DEFAULT_PRODUCTION_BRANCHES } from "../../core/protocol/git.js";
import { DeployError, toErrorInfo } from "../../core/protocol/index.js";
import { admit } from "../access/guard.js";
import { appExists } from "../access/app-of-call.js";
import { newDeploymentId } from "../deploy/deployment-id.js";
import { objectEnv } from "../git/object-env.js";
import { type CommitOrigin, prepareCommit } from "../git/prepare-commit.js";
import { type PushAction, planPush } from "../git/push-plan.js";
import { ensureRepository, gitPaths, gitVersion, readRemoteSettings, writeRemoteSettings } from "../git/repository.js";
import { removeApp } from "../previews/removal.js";
import { selfPath } from "../version.js";
import type { Call, Handler } from "./call.js";
import { deployResolved } from "./deploy.js";
import { underLock } from "./locked.js";

type Result = Awaited<ReturnType<Handler<"git.receive">>>["results"][number];

export const gitRemote: Handler<"git.remote"> = async (params, call) => {
	const git = await gitVersion();
	const home = call.agent.home;
	// The runtimes/agent link survives an upgrade of the agent's Node; a local build has none.
	const link = join(home.root, "runtimes", "agent", "bin", "node");
	const created = await ensureRepository(home, params.app.name, { node: existsSync(link) ? link : process.execPath, agent: selfPath() });
	await writeRemoteSettings(home, params.app.name, {
		spec: params.app,
		productionBranch: params.productionBranch ?? DEFAULT_PRODUCTION_BRANCHES[0]!,
		previewTtlSeconds: ttlSeconds(params.previewTtl ?? DEFAULT_PREVIEW_TTL),
		configId: params.configId ?? null,
	});
	return { path: gitPaths(home, params.app.name).repository, created, git };
};

/**
 * The push's updates, one after the other, each decided even when one before it failed:
 * the answer says which went live and which failed, and the hook rejects the whole push
 * when any failed (git's pre-receive is all or nothing), while the ones that went live
 * stay live. A deploy runs with a signal of its own: when the push's SSH session ends, the
 * deploy goes on in the daemon (`deploy ls` shows how it ended).
 */
export const gitReceive: Handler<"git.receive"> = async (params, call) => {
	const settings = await readRemoteSettings(call.agent.home, params.app);
	const repository = gitPaths(call.agent.home, params.app).repository;
	const env = objectEnv(repository, params.objects);
	const actions = planPush(settings, params.updates);
	const refused = actions.find((a) => a.kind === "refuse");
	if (refused?.kind === "refuse") throw new DeployError("PUSH_REFUSED", refused.message, refused.hint);
	const detach = params.options.includes("detach");
	const results: Result[] = [];
	for (const action of actions) {
		if (action.kind === "ignore") results.push({ ref: action.ref, outcome: "ignored", note: action.note });
		if (action.kind === "remove") results.push(await removePreview(action, call).catch((error) => failedRef(action.ref, action.spec.name, error)));
		if (action.kind === "deploy") results.push(await deployPush(action, { repository, env, detach, kept: settings.spec, previewTtlSeconds: settings.previewTtlSeconds }, call));
	}
	return { results };
};

/** A ref whose deploy or removal failed, with the error the push output shows for it. */
export function failedRef(ref: string, app: string, error: unknown, deployment?: string): Result {
	return { ref, outcome: "failed", app, ...(deployment ? { deployment } : {}), error: toErrorInfo(error) };
}

/** The same check a client's deploy passes (agents/access/guard.ts), as the member the push came from. */
async function admitted<T>(call: Call, spec: PushAction & { spec: unknown }, fn: () => Promise<T>): Promise<T> {
	const access = await admit(call.agent.home, call.access.caller, "deploy", { app: spec.spec });
	try {
		const value = await fn();
		await access.finish("ok");
		return value;
	} catch (error) {
		await access.finish(toErrorInfo(error).code).catch(() => undefined);
		throw error;
	}
}

export async function removePreview(action: Extract<PushAction, { kind: "remove" }>, call: Call): Promise<Result> {
	const app = action.spec.name;
	return admitted(call, action, async () => {
		if (!appExists(call.agent.home, app)) return { ref: action.ref, outcome: "removed" as const, app, note: `branch ${action.branch} had no preview` };
		const stopped = await underLock(call, app, { operation: "remove", deploymentId: null }, true, () => removeApp(call.agent, app));
		return { ref: action.ref, outcome: "removed" as const, app, note: `preview ${app} of branch ${action.branch} removed (${stopped} instance(s) stopped)` };
	});
}

export interface PushSource extends CommitOrigin {
	detach: boolean;
	/** Issue 18: the record's `source`: a push, or a webhook's fetched commit. */
	source?: "push" | "webhook";
}

/** Deploys one pushed (or fetched) commit; a failure is answered as the ref's `failed` result, never thrown. */
export async function deployPush(action: Extract<PushAction, { kind: "deploy" }>, source: PushSource, call: Call, id = newDeploymentId()): Promise<Result> {
	const agent = call.agent;
	let started = false;
	return admitted(call, action, async () => {
		// The pushed objects are held from here until the release's manifest names them (or the deploy failed).
		const lease = agent.store.leases.open();
		let held = true;
		try {
			const prepared = await prepareCommit({ homeRoot: agent.home.root, store: agent.store, maxObjectBytes: agent.tuning.maxObjectBytes }, lease, action, source);
			for (const { line, stream } of prepared.lines) call.emit({ type: "log", stream, line });
			const request = { app: prepared.spec, manifest: () => Promise.resolve(prepared.manifest), commit: action.commit, branch: action.branch, ...(prepared.subject ? { message: prepared.subject } : {}), wait: true, source: source.source ?? "push" };
			// Its own signal: neither the end of the push's session nor of this call stops it; `deploy cancel` does.
			const own: Call = { ...call, signal: new AbortController().signal, ...(source.detach ? { emit: () => undefined } : {}) };
			const running = deployResolved(request, own, id).finally(() => lease.release());
			held = false;
			started = true;
			if (source.detach) {
				running.catch((error) => agent.log(`detached push deploy ${id} of ${action.spec.name} failed: ${(error as Error).message}`));
				return { ref: action.ref, outcome: "detached" as const, app: action.spec.name, deployment: id, note: `deploying ${id} in the background: \`deploy logs --build ${id} -f\` follows it` };
			}
			const record: DeploymentRecord = await running;
			return { ref: action.ref, outcome: "deployed" as const, app: record.app, deployment: record.id, url: record.url, ...(record.unchanged ? { note: "unchanged: nothing rebuilt or restarted" } : {}) };
		} finally {
			if (held) lease.release();
		}
	}).catch((error) => failedRef(action.ref, action.spec.name, error, started ? id : undefined));
}
