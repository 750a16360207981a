// Issue 18, items 2 and 3: the contract entries of HooksApiGroups' methods, spread into apiMethods
// (core/api/contract.ts). Zod and core/protocol only: the Electron preload bundles this file.
import * as z from "zod";
import { forgeKind, hookId, repositoryUrl } from "../protocol/hooks.js";
import { appName } from "../protocol/names.js";
import { serverName } from "./target.contract.js";

const server = { server: serverName.optional(), dir: z.string().min(1).optional() };
const HOOKS_HINT = "See `deploy hooks --help`.";

export const hooksApiMethods = {
	"hooks.add": {
		stream: false,
		hint: "Run it in the app's folder: `deploy hooks add github --repo https://github.com/<owner>/<repo>.git`.",
		input: z.strictObject({ ...server, forge: forgeKind, repo: repositoryUrl, app: appName.optional(), branch: z.string().min(1).max(255).optional() }),
	},
	"hooks.list": { stream: false, hint: HOOKS_HINT, input: z.strictObject({ ...server, app: appName.optional() }) },
	"hooks.remove": { stream: false, hint: "`deploy hooks ls` lists the hooks' ids.", input: z.strictObject({ ...server, id: hookId }) },
	"hooks.deliveries": { stream: false, hint: HOOKS_HINT, input: z.strictObject({ ...server, app: appName.optional() }) },
} as const;
