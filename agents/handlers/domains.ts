import type { domainsMethods } from "../../core/protocol/domains.js";
import { domainUrl, waitForCertificate } from "../domains/certificate-wait.js";
import { addDomain, listDomains, removeDomain } from "../domains/manage.js";
import type { Handler } from "./call.js";
import { underLock } from "./locked.js";

/**
 * issue 6: the handlers of core/protocol/domains.ts. Adding and removing take the
 * app's deploy lock, so a domain change never races a deploy's route switch.
 */
export const domainsHandlers: { [M in keyof typeof domainsMethods]: Handler<M> } = {
	"domains.list": async ({ app }, { agent }) => ({ app, ...(await listDomains(agent, app)) }),
	"domains.add": async ({ app, domain, wait, certificateWaitMs }, call) => {
		const started = new Date();
		const added = await underLock(call, app, { operation: "domains", deploymentId: null }, wait, () => addDomain(call.agent, app, domain));
		// Issue 14: outside the lock, so deploys go on while the proxy obtains the certificate. A domain added before keeps its last failure.
		const certificate = await waitForCertificate(call.agent, call, domain, { waitMs: certificateWaitMs, ...(added.changed ? { failuresSince: started } : {}) });
		return { app, domain, ...added, certificate, url: domainUrl(call.agent, domain, certificate.state) };
	},
	"domains.remove": async ({ app, domain, wait }, call) =>
		underLock(call, app, { operation: "domains", deploymentId: null }, wait, async () => {
			await removeDomain(call.agent, app, domain);
			return { app, domain };
		}),
};
