import type { Handlers } from "./call.js";
import { deploy } from "./deploy.js";
import { deploymentsList } from "./deployments.js";
import { hello } from "./hello.js";
import { logs } from "./logs.js";
import { objectsMissing, objectsPut } from "./objects.js";
import { setup } from "./setup.js";
import { shutdown } from "./shutdown.js";

/** Every method of core/protocol/methods.ts, each served by one handler. */
export const handlers: Handlers = {
	hello,
	setup,
	"objects.missing": objectsMissing,
	"objects.put": objectsPut,
	deploy,
	"deployments.list": deploymentsList,
	logs,
	shutdown,
};
