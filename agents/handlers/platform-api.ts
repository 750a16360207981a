// Issue 17: `deploy servers api enable|disable|status`: the HTTPS API the daemon serves (agents/api/).
import { domainUrl, waitForCertificate } from "../domains/certificate-wait.js";
import type { Handler } from "./call.js";

/** Like `domains add`, it answers once the domain's certificate is issued (or the wait is over): the URL it gives works. */
const apiEnable: Handler<"api.enable"> = async ({ domain, certificateWaitMs }, call) => {
	const started = new Date();
	const status = await call.agent.platformApi.enable(domain);
	const certificate = await waitForCertificate(call.agent, call, domain, { waitMs: certificateWaitMs, failuresSince: started });
	return { ...status, url: domainUrl(call.agent, domain, certificate.state), certificate: certificate.state };
};
const apiDisable: Handler<"api.disable"> = async (_params, call) => call.agent.platformApi.disable();
const apiStatus: Handler<"api.status"> = async (_params, call) => call.agent.platformApi.status();

export const platformApiHandlers = { "api.enable": apiEnable, "api.disable": apiDisable, "api.status": apiStatus };
