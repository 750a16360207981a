// Issue 17: how each RPC method of core/protocol/methods.ts is served over HTTPS. The
// routes are derived from the method list: every method is `POST /api/v1/<method>`,
// and this table (a Record over MethodName: a method added without a line here is a
// compile error) says whether it answers JSON, streams NDJSON, or stays SSH-only.
import type { MethodName } from "../../core/protocol/methods.js";

/**
 * - json: one JSON answer (events, such as a lock wait, are not sent);
 * - stream: NDJSON, `{"event"}` lines then one `{"result"}` or `{"error"}`;
 * - chunk: one JSON answer to a binary body (a large file's chunk, objects.write): the
 *   params in the query, the bytes as `application/octet-stream`, at most CHUNK_BYTES;
 * - ssh: refused over HTTPS, with the reason (what only the server's owner does over SSH).
 */
export type Exposure = { as: "json" } | { as: "stream" } | { as: "chunk" } | { as: "ssh"; why: string };

const json: Exposure = { as: "json" };
const stream: Exposure = { as: "stream" };
const ownerOnly: Exposure = { as: "ssh", why: "only the server's owner may do it, over SSH: no API key can" };

export const httpExposure: Record<MethodName, Exposure> = {
	hello: json,
	status: json,
	whoami: json,
	setup: ownerOnly,
	shutdown: ownerOnly,
	doctor: json,
	"objects.missing": json,
	"objects.put": json,
	"objects.write": { as: "chunk" },
	deploy: stream,
	rollback: stream,
	cancel: json,
	scale: stream,
	"cache.clear": json,
	ps: json,
	events: stream,
	"deployments.list": json,
	"deployments.log": stream,
	"deployments.remove": json,
	logs: stream,
	"domains.list": json,
	"domains.add": stream,
	"domains.remove": stream,
	"env.list": json,
	"env.change": stream,
	"autoscale.status": json,
	"autoscale.log": json,
	"metrics.get": json,
	"metrics.alerts": json,
	"team.ls": json,
	"team.create": ownerOnly,
	"team.add": json,
	"team.set": json,
	"team.rm": json,
	"team.invite": json,
	"audit.list": json,
	"keys.create": json,
	"keys.ls": json,
	"keys.revoke": json,
	"api.enable": ownerOnly,
	"api.disable": ownerOnly,
	"api.status": json,
	"api.dashboard": ownerOnly,
	// Issue 18: a repository is pushed to over SSH; the hook's call names folders of a push in progress.
	"git.remote": { as: "ssh", why: "an app's repository is pushed to over SSH: make it with `deploy git-remote`" },
	"git.receive": { as: "ssh", why: "the call of a push's pre-receive hook, on the server itself" },
	redeploy: stream,
	// Issue 18: webhooks. A forge delivers to POST /api/v1/hooks/<id> (webhook-route.ts), not to a method.
	"hooks.add": json,
	"hooks.list": json,
	"hooks.remove": json,
	"hooks.deliveries": json,
	"hooks.deliver": { as: "ssh", why: "the API listener's own call for a delivery whose signature it checked: a forge posts to /api/v1/hooks/<id>" },
};

/** The methods served over HTTPS, in the protocol's order. */
export const exposedMethods = (Object.keys(httpExposure) as MethodName[]).filter((m) => httpExposure[m].as !== "ssh");
