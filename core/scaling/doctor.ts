import type { ApiContext } from "../api/context.js";
import type { StreamOptions } from "../api/types.js";
import { resolveTarget, withStore } from "../deploy/target.js";
import type { AgentSession } from "../provider.js";
import { toErrorInfo } from "../protocol/index.js";
import { isolationCheck, portsCheck } from "./isolation-checks.js";
import { secretsCheck } from "./secrets-check.js";
import { agentCheck, bootCheck, clockCheck, clockSkewMs, type DoctorCheck, type DoctorReport, diskCheck, limitsCheck, nodeCheck, objectsCheck, proxyCheck, report } from "./checks.js";

/**
 * `deploy doctor`: one SSH connection (which checks the pinned host key and installs
 * or upgrades the agent on the way), then the agent's `status` and `doctor` answers
 * turned into ok/warn/fail lines. A server that cannot be reached is a report with a
 * failed `ssh` line, not an error: the line says why.
 */
export async function runDoctor(context: ApiContext, input: { server?: string; dir?: string }, options: StreamOptions = {}): Promise<DoctorReport> {
	const target = await withStore((store) => resolveTarget(context, store, { ...(input.server ? { server: input.server } : {}), ...(input.dir ? { dir: input.dir } : {}) }, options, "read"));
	const fingerprint = await withStore(async (store) => (await store.servers.get(target.server))?.hostKeyFingerprint ?? null);
	const signal = options.signal ? { signal: options.signal } : {};
	let session: AgentSession;
	try {
		session = await target.open();
	} catch (error) {
		if (options.signal?.aborted) throw error;
		const { code, message, hint } = toErrorInfo(error);
		const ssh: DoctorCheck = { name: "ssh", status: "fail", message: `cannot reach the agent (${code}): ${message}`, ...(hint ? { hint } : {}) };
		return report(target.server, [ssh], null, null);
	}
	try {
		const ssh: DoctorCheck = fingerprint
			? { name: "ssh", status: "ok", message: `connected; the host key matches the pinned ${fingerprint}` }
			: { name: "ssh", status: "ok", message: "the local agent (no SSH)" };
		const health = await session.rpc.call("status", {}, signal);
		const sentAt = Date.now();
		const server = await session.rpc.call("doctor", {}, signal);
		const receivedAt = Date.now();
		const skew = clockSkewMs(server.timeMs, sentAt, receivedAt);
		const checks = [ssh, agentCheck(health), proxyCheck(health.proxy), limitsCheck(server.enforcement), diskCheck(health.disk), objectsCheck(server.objects), nodeCheck(server.node), bootCheck(server.boot), isolationCheck(server.isolation), portsCheck(server.isolation), secretsCheck(server.secrets), clockCheck(skew, receivedAt - sentAt)];
		return report(target.server, checks, skew, server.enforcement);
	} finally {
		await session.close();
	}
}
