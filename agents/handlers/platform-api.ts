// Issue 17: `deploy servers api enable|disable|status`: the HTTPS API the daemon serves (agents/api/).
import { domainUrl, waitForCertificate } from "../domains/certificate-wait.js";
import type { ApiStatus } from "../../core/protocol/api-keys.js";
import { installDashboard } from "../dashboard/install.js";
import { currentDashboardVersion } from "../dashboard/paths.js";
import type { Handler } from "./call.js";

/** Like `domains add`, it answers once the domain's certificate is issued (or the wait is over): the URL it gives works. */
const apiEnable: Handler<"api.enable"> = async ({ domain, certificateWaitMs }, call) => {
	const started = new Date();
	const status = await call.agent.platformApi.enable(domain);
	const certificate = await waitForCertificate(call.agent, call, domain, { waitMs: certificateWaitMs, failuresSince: started });
	return withDashboard(call.agent.home.root, { ...status, url: domainUrl(call.agent, domain, certificate.state), certificate: certificate.state });
};
const apiDisable: Handler<"api.disable"> = async (_params, call) => call.agent.platformApi.disable();
const apiStatus: Handler<"api.status"> = async (_params, call) => withDashboard(call.agent.home.root, call.agent.platformApi.status());

/** Issue 17, item 4: where teammates open the dashboard, once its build is on the server. */
async function withDashboard(homeRoot: string, status: ApiStatus): Promise<ApiStatus> {
	const served = status.enabled && status.url && (await currentDashboardVersion(homeRoot)) !== null;
	return { ...status, dashboard: served ? `${status.url}/` : null };
}

/** Issue 17, item 4: the renderer build the listener serves at `/`, from objects uploaded before. */
const apiDashboard: Handler<"api.dashboard"> = async ({ files }, call) => installDashboard(call.agent, files);

export const platformApiHandlers = { "api.enable": apiEnable, "api.disable": apiDisable, "api.status": apiStatus, "api.dashboard": apiDashboard };
