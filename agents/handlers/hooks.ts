// Issue 18, items 2 and 3: `deploy hooks add|ls|rm|deliveries`, and hooks.deliver: a
// verified push delivery (agents/api/webhook-route.ts) fetched from the hook's repository
// and deployed as a push is (handlers/git.ts), detached, with `source: "webhook"`.
import { type ErrorInfo, toErrorInfo } from "../../core/protocol/errors.js";
import { DEFAULT_PRODUCTION_BRANCHES } from "../../core/protocol/git.js";
import { DEFAULT_PREVIEW_TTL, ttlSeconds } from "../../core/protocol/previews.js";
import { deployKeySshCommand, isSshRepository, makeDeployKey, removeDeployKey } from "../hooks/deploy-key.js";
import { withOutcome } from "../hooks/delivery-outcome.js";
import { fetchCommit } from "../hooks/fetch-commit.js";
import { appendDelivery, newHookId, newHookSecret, publicHook, readDeliveries, readHooks, requireHook, type StoredHook, writeHooks } from "../hooks/store.js";
import { type PushAction, planPush } from "../git/push-plan.js";
import { newDeploymentId } from "../deploy/deployment-id.js";
import { gitVersion } from "../git/repository.js";
import { API_BASE } from "../api/openapi.js";
import type { Call, Handler } from "./call.js";
import { deployPush, removePreview } from "./git.js";

const hooksAdd: Handler<"hooks.add"> = async (params, call) => {
	const root = call.agent.home.root;
	// A hook whose pushes could never be fetched is refused now, not at the first push (GIT_MISSING, with the install hint).
	await gitVersion();
	const hook: StoredHook = {
		id: newHookId(),
		app: params.app.name,
		forge: params.forge,
		repo: params.repo,
		productionBranch: params.productionBranch ?? DEFAULT_PRODUCTION_BRANCHES[0]!,
		previewTtlSeconds: ttlSeconds(params.previewTtl ?? DEFAULT_PREVIEW_TTL),
		spec: params.app,
		secret: newHookSecret(),
		createdAt: new Date().toISOString(),
	};
	const deployKey = isSshRepository(hook.repo) ? await makeDeployKey(root, hook.id) : null;
	await writeHooks(root, [...(await readHooks(root)), hook]);
	const path = `${API_BASE}/hooks/${hook.id}`;
	const api = call.agent.platformApi.status().url;
	return { hook: publicHook(hook), secret: hook.secret, path, url: api ? `${api}${path}` : null, deployKey };
};

const hooksList: Handler<"hooks.list"> = async (params, call) => {
	const hooks = (await readHooks(call.agent.home.root)).filter((h) => (params.app ? h.app === params.app : call.access.visible(h.app)));
	return { hooks: hooks.map(publicHook) };
};

const hooksRemove: Handler<"hooks.remove"> = async (params, call) => {
	const root = call.agent.home.root;
	const hook = await requireHook(root, params.id);
	await writeHooks(
		root,
		(await readHooks(root)).filter((h) => h.id !== hook.id),
	);
	await removeDeployKey(root, hook.id);
	return { removed: publicHook(hook) };
};

const hooksDeliveries: Handler<"hooks.deliveries"> = async (params, call) => {
	const all = (await readDeliveries(call.agent.home.root)).filter((d) => (params.app ? d.app === params.app : call.access.visible(d.app)));
	return { deliveries: await Promise.all(all.slice(-params.limit).map((d) => withOutcome(call.agent.home, d))) };
};

const hooksDeliver: Handler<"hooks.deliver"> = async (params, call) => {
	const hook = await requireHook(call.agent.home.root, params.hook);
	const [action] = planPush({ spec: hook.spec, productionBranch: hook.productionBranch, previewTtlSeconds: hook.previewTtlSeconds, configId: null }, [{ old: params.before, new: params.after, ref: params.ref }]);
	if (!action || action.kind === "ignore") return { outcome: "ignored", note: action?.note ?? "nothing to do" };
	if (action.kind === "refuse") return { outcome: "ignored", note: action.message };
	if (action.kind === "remove") {
		const removed = await removePreview(action, call);
		return { outcome: "removed", ...(removed.app ? { app: removed.app } : {}), ...(removed.note ? { note: removed.note } : {}) };
	}
	// Answered now; the fetch and the deploy go on in the daemon (a slow forge holds no request).
	const id = newDeploymentId();
	void fetchAndDeploy(hook, action, id, params.delivery, call);
	return { outcome: "detached", app: action.spec.name, deployment: id, note: `deploying ${id} in the background: \`deploy logs --build ${id} -f\` follows it` };
};

/**
 * The hook's repository is fetched (never one the payload names: the signature proves who
 * sent it, not where it points) and the commit deployed, detached. A failure before the
 * deploy started (the fetch, a submodule, deploy.yaml, the role) is recorded on the
 * delivery, whose forge has had its 202: a redelivery of it then deploys again.
 */
async function fetchAndDeploy(hook: StoredHook, action: Extract<PushAction, { kind: "deploy" }>, id: string, delivery: string | undefined, call: Call): Promise<void> {
	const root = call.agent.home.root;
	const sshCommand = isSshRepository(hook.repo) ? deployKeySshCommand(root, hook.id) : undefined;
	let failure: ErrorInfo | undefined;
	try {
		const repository = await fetchCommit(root, hook.app, hook.repo, action.commit, sshCommand);
		const started = await deployPush(action, { repository, env: {}, detach: true, kept: hook.spec, previewTtlSeconds: hook.previewTtlSeconds, source: "webhook", origin: hook.repo, sshCommand }, call, id);
		if (started.outcome === "failed") failure = started.error ?? { code: "INTERNAL", message: "the deploy failed" };
	} catch (error) {
		failure = toErrorInfo(error);
	}
	if (!failure) return;
	call.agent.log(`webhook ${hook.id} deploy ${id} of ${action.spec.name} did not start: ${failure.code}`);
	await appendDelivery(root, {
		hook: hook.id,
		app: hook.app,
		delivery: delivery ?? "",
		time: new Date().toISOString(),
		event: "push",
		signatureOk: true,
		branch: action.branch,
		commit: action.commit,
		deployment: null,
		result: `failed: ${failure.code}: ${failure.message}`.slice(0, 500),
	}).catch((error) => call.agent.log(`could not record the failure of webhook ${hook.id}'s delivery: ${(error as Error).message}`));
}

export const hookHandlers = { "hooks.add": hooksAdd, "hooks.list": hooksList, "hooks.remove": hooksRemove, "hooks.deliveries": hooksDeliveries, "hooks.deliver": hooksDeliver };
