import * as z from "zod";

// Issue 13: what isolates one app from another on a server, as the agent found it at
// start (agents/isolation/probe.ts); `deploy doctor` turns it into its lines.

export const isolationReport = z.object({
	/**
	 * users: each app runs and builds as a system user of its own; shared: the agent is
	 * not root, so every app runs as the agent's user; off: DEPLOY_AGENT_ISOLATION=off
	 * (`deploy preview`); unavailable: the agent is root but cannot make or use users
	 * here, so it refuses to build or start apps (reason and hint say why).
	 */
	mode: z.enum(["users", "shared", "off", "unavailable"]),
	reason: z.string(),
	hint: z.string().optional(),
	/** Apps and builds run with no_new_privs (setpriv). */
	noNewPrivs: z.boolean(),
	/** Instances get HOST=127.0.0.1; where a firewall tool exists, connections from outside to their ports are dropped too. */
	firewall: z.object({ tool: z.enum(["nftables", "iptables"]).nullable(), reason: z.string() }),
	/** systemd's sandboxing (ProtectSystem, PrivateTmp) for instances: why it is not used. */
	systemdSandbox: z.string(),
	/** Whether each app has a /tmp of its own, and why not (absent from agents before it). */
	privateTmp: z.string().optional(),
});
export type IsolationReport = z.infer<typeof isolationReport>;
