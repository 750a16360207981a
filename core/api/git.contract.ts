// Issue 18: the contract entries of GitApiGroups' methods, spread into apiMethods
// (core/api/contract.ts). Zod and core/protocol only: the Electron preload bundles this file.
import * as z from "zod";
import { serverName } from "./target.contract.js";

export const gitApiMethods = {
	"git.remote": {
		stream: false,
		hint: "Run it in the app's folder, the top of its git repository.",
		input: z.strictObject({
			dir: z.string().min(1).optional(),
			server: serverName.optional(),
			remote: z
				.string()
				.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "is not a remote name (letters, digits, . _ -)")
				.optional(),
		}),
	},
} as const;
