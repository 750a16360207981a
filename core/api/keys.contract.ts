// Issue 17: the contract entries of KeysApiGroups' methods, spread into apiMethods
// (core/api/contract.ts). Zod and core/protocol only: the Electron preload bundles this file.
import * as z from "zod";
import { keyName, keyScope, MAX_KEY_SECONDS } from "../protocol/api-keys.js";
import { domainName } from "../protocol/domains.js";
import { appName } from "../protocol/names.js";
import { teamName } from "../protocol/team.js";
import { serverName } from "./target.contract.js";

const server = { server: serverName.optional(), dir: z.string().min(1).optional() };
const KEYS_HINT = "See `deploy keys --help`.";

export const keysApiMethods = {
	"keys.create": {
		stream: false,
		hint: KEYS_HINT,
		input: z.strictObject({
			...server,
			name: keyName,
			team: teamName,
			scope: keyScope,
			apps: z.array(appName).min(1).max(1000).nullable().optional(),
			expiresInSeconds: z.number().int().min(1).max(MAX_KEY_SECONDS).optional(),
		}),
	},
	"keys.list": { stream: false, input: z.strictObject(server) },
	"keys.revoke": { stream: false, hint: KEYS_HINT, input: z.strictObject({ ...server, name: keyName, team: teamName.optional() }) },
	"serverApi.enable": { stream: false, hint: "See `deploy servers api --help`.", input: z.strictObject({ server: serverName, domain: domainName }) },
	"serverApi.disable": { stream: false, input: z.strictObject({ server: serverName }) },
	"serverApi.status": { stream: false, input: z.strictObject({ server: serverName }) },
} as const;
