import { deploymentLog } from "./build-log.js";
import { cacheClear } from "./cache.js";
import type { Handlers } from "./call.js";
import { cancel } from "./cancel.js";
import { deploy } from "./deploy.js";
import { deploymentsList } from "./deployments.js";
import { domainsHandlers } from "./domains.js";
import { envHandlers } from "./env.js";
import { events } from "./events.js";
import { gitReceive, gitRemote } from "./git.js";
import { hookHandlers } from "./hooks.js";
import { hello } from "./hello.js";
import { redeploy } from "./redeploy.js";
import { logs } from "./logs.js";
import { metricsHandlers } from "./metrics.js";
import { objectsMissing, objectsPut, objectsWrite } from "./objects.js";
import { previewsHandlers } from "./previews.js";
import { ps } from "./ps.js";
import { rollback } from "./rollback.js";
import { scale } from "./scale.js";
import { scalingHandlers } from "./scaling.js";
import { setup } from "./setup.js";
import { shutdown } from "./shutdown.js";
import { status } from "./status.js";
import { teamHandlers } from "./team.js";
import { keysHandlers } from "./keys.js";
import { platformApiHandlers } from "./platform-api.js";

/** Every method of core/protocol/methods.ts, each served by one handler. */
export const handlers: Handlers = {
	hello,
	setup,
	"objects.missing": objectsMissing,
	"objects.put": objectsPut,
	"objects.write": objectsWrite,
	deploy,
	rollback,
	ps,
	scale,
	cancel,
	"cache.clear": cacheClear,
	events,
	"deployments.list": deploymentsList,
	"deployments.log": deploymentLog,
	logs,
	status,
	shutdown,
	...domainsHandlers,
	...previewsHandlers,
	...envHandlers,
	...scalingHandlers,
	...metricsHandlers,
	...teamHandlers,
	...keysHandlers,
	...platformApiHandlers,
	"git.remote": gitRemote,
	"git.receive": gitReceive,
	...hookHandlers,
	redeploy,
};
