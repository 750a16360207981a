// Issue 17, item 4: the renderer's api calls as the server's own methods. The views
// call the desktop's contract (core/api/contract.ts), which names apps by a project
// folder on a server; here the one server is the page's, and an app is named by
// itself (a "project" of this page has its app name as `dir`, see projects.list).
// Each entry says which agent method answers (POST /api/v1/<method>), with what params,
// and how its answer becomes the contract's. What needs a local folder or only the
// server's owner (a deploy from source, adding servers, the terminal) is not here.
import type { MethodName, ParamsOf, ResultOf } from "../../../core/protocol/methods.js";
import type { ApiInput, ApiMethod, ApiResult } from "./bridge.js";
import { thisServer } from "./server-mode.js";

export interface ServerCall<M extends ApiMethod = ApiMethod, A extends MethodName = MethodName> {
	method: A;
	params: ParamsOf<A>;
	shape(result: ResultOf<A>): ApiResult<M>;
}

type Mapper<M extends ApiMethod> = (input: ApiInput<M>) => ServerCall<M, MethodName> | { local: ApiResult<M> };

const call = <M extends ApiMethod, A extends MethodName>(method: A, params: ParamsOf<A>, shape: (result: ResultOf<A>) => ApiResult<M>): ServerCall<M, MethodName> =>
	({ method, params, shape }) as unknown as ServerCall<M, MethodName>;

/** The app a contract input names: its `app`, else its "folder" (here the app's name). */
const appOf = (input: { app?: string | undefined; dir?: string | undefined }): string => input.app ?? input.dir ?? "";
const MASK = "••••••";
const same = <T>(result: T) => result as never;

export const serverCalls: { [M in ApiMethod]?: Mapper<M> } = {
	"servers.list": () => ({ local: [] }),
	"projects.list": () =>
		call("ps", {}, (rows) => {
			const names = [...new Set(rows.map((row) => row.app))].sort();
			return names.map((name) => ({ name, dir: name, server: thisServer() }));
		}),
	"team.whoami": () => call("whoami", {}, same),
	"deployments.list": (input) => call("deployments.list", { app: appOf(input), ...(input.limit ? { limit: input.limit } : {}) }, same),
	"deployments.rollback": (input) => call("rollback", { app: appOf(input), ...(input.to ? { to: input.to } : {}), wait: input.wait ?? true }, same),
	"instances.list": (input) => call("ps", { app: appOf(input) }, same),
	"instances.scale": (input) => call("scale", { app: appOf(input), processes: input.processes, wait: input.wait ?? true }, same),
	"logs.read": (input) =>
		call(
			"logs",
			{
				app: appOf(input),
				follow: input.follow ?? false,
				...(input.lines !== undefined ? { lines: input.lines } : {}),
				...(input.grep ? { grep: input.grep } : {}),
				...(input.instance !== undefined ? { instance: input.instance } : {}),
			},
			same,
		),
	"logs.build": (input) =>
		call("deployments.log", { app: appOf(input), ...(input.id ? { id: input.id } : {}), ...(input.follow ? { follow: true } : {}) }, (result) => ({
			...result,
			app: appOf(input),
			server: thisServer(),
		})),
	"env.list": (input) =>
		call("env.list", { app: appOf(input), environment: input.environment ?? "production", reveal: input.reveal ?? false }, (listing) => ({
			app: listing.app,
			server: thisServer(),
			environment: listing.environment,
			vars: listing.vars.filter((v) => input.key === undefined || v.key === input.key).map((v) => ({ key: v.key, value: input.reveal ? (v.value ?? "") : MASK, updatedAt: v.updatedAt })),
			cached: false,
			fetchedAt: new Date().toISOString(),
		})),
	"env.set": (input) => call("env.change", { app: appOf(input), environment: input.environment ?? "production", set: input.vars, wait: input.wait ?? true }, (result) => ({ ...result, server: thisServer() })),
	"env.unset": (input) => call("env.change", { app: appOf(input), environment: input.environment ?? "production", unset: input.keys, wait: input.wait ?? true }, (result) => ({ ...result, server: thisServer() })),
	"domains.list": (input) =>
		call("domains.list", { app: appOf(input) }, (listed) => ({
			app: listed.app,
			server: thisServer(),
			defaultHost: listed.defaultHost,
			// No DNS lookup from a browser; the ASCII form stands for the Unicode one.
			domains: listed.domains.map((d) => ({ domain: d.name, unicode: d.name, source: d.source, addedAt: d.addedAt, dns: null, certificate: d.certificate })),
		})),
	"domains.add": (input) =>
		call("domains.add", { app: appOf(input), domain: input.domain }, (added) => ({ ...added, server: thisServer(), unicode: added.domain, dns: null })),
	"domains.remove": (input) => call("domains.remove", { app: appOf(input), domain: input.domain }, (removed) => ({ ...removed, server: thisServer(), unicode: removed.domain })),
	"metrics.alerts": (input) => call("metrics.alerts", { ...(appOf(input) ? { app: appOf(input) } : {}), ...(input.limit ? { limit: input.limit } : {}) }, (result) => ({ server: thisServer(), ...result })),
};
