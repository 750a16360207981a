// Issue 18: `POST /api/v1/hooks/<id>`, a forge's delivery, served WITHOUT an API key: the
// hook's secret signs the body instead. Order matters: the raw body is read (bounded) and
// its signature checked before anything is parsed or fetched; a delivery id seen before is
// answered "duplicate" and deploys nothing; a push then runs as the hook's caller through
// the daemon's dispatch (hooks.deliver: the same guard), and the answer (202, the
// deployment's id) comes at once: the fetch and the deploy go on in the daemon, which
// records a failure before the deploy started on the delivery (handlers/hooks.ts). The repository fetched is the hook's, never one the body names.
import type { IncomingMessage, ServerResponse } from "node:http";
import * as z from "zod";
import { DeployError } from "../../core/protocol/errors.js";
import { commitId } from "../../core/protocol/git.js";
import type { HookDelivery } from "../../core/protocol/hooks.js";
import { hookCaller } from "../hooks/hook-caller.js";
import { readDelivery } from "../hooks/forges.js";
import { appendDelivery, findHook, latestDelivery, readDeliveries } from "../hooks/store.js";
import type { ApiRequestDeps } from "./http-handler.js";
import { readBoundedBody } from "./request-body.js";
import { sendJson } from "./respond.js";

export const HOOKS_PATH = "/hooks/";
/** GitHub's payloads are at most 25 MB; a push's is far smaller. */
const MAX_DELIVERY_BYTES = 25 * 1024 * 1024;

const pushPayload = z.object({ ref: z.string().min(1).max(300), before: commitId, after: commitId, deleted: z.boolean().optional() });

/** Deliveries being answered: a forge's retry that arrives while the first is still checked counts as a duplicate too. */
const inFlight = new Set<string>();

export async function handleWebhook(deps: ApiRequestDeps, id: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
	if (request.method !== "POST") throw new DeployError("METHOD_NOT_ALLOWED", `${request.method} is not served at a hook.`, "A forge delivers with POST.");
	const body = await readBoundedBody(request, MAX_DELIVERY_BYTES, new DeployError("BODY_TOO_LARGE", "The delivery is over 25 MiB.", "A push's payload is far smaller: check the webhook's URL."));
	const hook = /^hk_[0-9a-f]{16}$/.test(id) ? await findHook(deps.homeRoot, id) : null;
	if (!hook) throw new DeployError("NOT_FOUND", `There is no hook ${id.slice(0, 40)}.`, "`deploy hooks ls` lists the hooks and their URLs.");
	const { authentic, event, delivery, signatureHeader } = readDelivery(hook.forge, hook.secret, body, request.headers);
	const base = { hook: hook.id, app: hook.app, delivery, time: new Date().toISOString(), event, branch: null, commit: null, deployment: null };
	const record = (fields: Partial<HookDelivery> & { result: string; signatureOk: boolean }) => appendDelivery(deps.homeRoot, { ...base, ...fields });
	if (!authentic) {
		await record({ signatureOk: false, result: "unauthorized" });
		return sendJson(response, 401, { error: { code: "HOOK_SIGNATURE_INVALID", message: `The delivery's ${signatureHeader} is missing or does not match the hook's secret.`, hint: "Set the webhook's secret to the one `deploy hooks add` printed, content type application/json." } });
	}
	if (!delivery) throw new DeployError("BAD_ARGUMENT", "The delivery has no delivery id header.", `Deliver from ${hook.forge}: each delivery carries its own id, which keeps a retried one from deploying twice.`);
	const key = `${hook.id} ${delivery}`;
	// A failed delivery (a fetch the forge refused) is not "seen": the forge's Redeliver sends the same id, and should work once the cause is fixed.
	// Its newest line decides: the failure of a fetch is recorded after the "deploying" of its 202.
	const seen = (d: HookDelivery | undefined) => d?.signatureOk === true && !d.result.startsWith("failed");
	// Claimed before the first await: of two copies arriving together, the second is the duplicate.
	if (inFlight.has(key)) return sendJson(response, 200, { result: "ignored, duplicate", delivery });
	inFlight.add(key);
	try {
		if (seen(latestDelivery(await readDeliveries(deps.homeRoot), hook.id, delivery))) return sendJson(response, 200, { result: "ignored, duplicate", delivery });
		if (event === "ping") {
			await record({ signatureOk: true, result: "ping" });
			return sendJson(response, 200, { result: "pong", hook: hook.id });
		}
		if (event !== "push") {
			await record({ signatureOk: true, result: `ignored: ${event || "no"} event` });
			return sendJson(response, 200, { result: `ignored: only push events deploy (this is ${event || "no event"})` });
		}
		let payload: z.infer<typeof pushPayload>;
		try {
			payload = pushPayload.parse(JSON.parse(body.toString("utf8")));
		} catch {
			await record({ signatureOk: true, result: "failed: not a push payload" });
			throw new DeployError("BAD_JSON", "The push's body is not a push payload (ref, before, after).", "Set the webhook's content type to application/json.");
		}
		const branch = payload.ref.startsWith("refs/heads/") ? payload.ref.slice("refs/heads/".length) : null;
		const commit = payload.deleted || /^0+$/.test(payload.after) ? null : payload.after;
		const caller = await hookCaller(deps.homeRoot, hook, request.socket.remoteAddress ?? null);
		// The deploy outlives this request (it is detached in the handler): nothing here aborts it.
		const outcome = await deps.call(caller, "hooks.deliver", { app: hook.app, hook: hook.id, ref: payload.ref, before: payload.before, after: payload.after, delivery }, () => undefined, new AbortController().signal);
		if ("error" in outcome) {
			await record({ signatureOk: true, branch, commit, result: `failed: ${outcome.error.code}: ${outcome.error.message}`.slice(0, 500) });
			throw new DeployError(outcome.error.code, outcome.error.message, outcome.error.hint);
		}
		const result = outcome.result as { outcome: string; deployment?: string; app?: string; note?: string };
		const words = result.outcome === "detached" ? "deploying" : result.outcome === "removed" ? "preview removed" : `ignored: ${result.note ?? ""}`;
		await record({ signatureOk: true, branch, commit, deployment: result.deployment ?? null, result: words });
		return sendJson(response, result.outcome === "detached" ? 202 : 200, { result: words, ...(result.deployment ? { deployment: result.deployment } : {}), ...(result.app ? { app: result.app } : {}) });
	} finally {
		inFlight.delete(key);
	}
}
