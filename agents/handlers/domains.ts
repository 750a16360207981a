import type { domainsMethods } from "../../core/protocol/domains.js";
import { addDomain, listDomains, removeDomain } from "../domains/manage.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/**
 * issue 6: the handlers of core/protocol/domains.ts. Adding and removing take the
 * app's deploy lock, so a domain change never races a deploy's route switch.
 */
export const domainsHandlers: { [M in keyof typeof domainsMethods]: Handler<M> } = {
	"domains.list": async ({ app }, { agent }) => ({ app, ...(await listDomains(agent, app)) }),
	"domains.add": async ({ app, domain, wait }, call) =>
		underLock(call, app, { operation: "domains", deploymentId: null }, wait, async () => ({ app, domain, ...(await addDomain(call.agent, app, domain)) })),
	"domains.remove": async ({ app, domain, wait }, call) =>
		underLock(call, app, { operation: "domains", deploymentId: null }, wait, async () => {
			await removeDomain(call.agent, app, domain);
			return { app, domain };
		}),
};
