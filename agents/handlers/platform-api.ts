// Issue 17: `deploy servers api enable|disable|status`: the HTTPS API the daemon serves (agents/api/).
import type { Handler } from "./call.js";

const apiEnable: Handler<"api.enable"> = async ({ domain }, call) => call.agent.platformApi.enable(domain);
const apiDisable: Handler<"api.disable"> = async (_params, call) => call.agent.platformApi.disable();
const apiStatus: Handler<"api.status"> = async (_params, call) => call.agent.platformApi.status();

export const platformApiHandlers = { "api.enable": apiEnable, "api.disable": apiDisable, "api.status": apiStatus };
