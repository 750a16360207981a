// Issue 12: a bare Debian or Ubuntu server to one the agent runs on, over one SSH
// connection, each step told with its time: the login's privilege, the system, the
// agent's runtime, the agent, the proxy, the boot units, the firewall, then the
// agent's own setup (the proxy started with its routes). Nothing changes before the
// checks pass; run again, it repairs what is missing and changes nothing else.
import type { AgentBundle, AgentSession, RemoteHost } from "../../provider.js";
import type { DeployEvent, ServerSetup } from "../../protocol/index.js";
import { type SystemInstallResult, systemInstallResult } from "../../protocol/system.js";
import { rootCommand } from "../shell.js";
import { checkSystem, describeSystem } from "./checks.js";
import { checkLogin } from "./login.js";
import type { ServerFacts } from "./probe.js";
import { installAgentRuntime, type RuntimeOutcome } from "./runtime.js";
import { runStep } from "../../protocol/steps.js";
import { runAgentSystem } from "./system.js";
import { setUpBefore, undoFailedSetup } from "./undo.js";

export interface ServerSetupInput {
	bundle: AgentBundle;
	/** The agent's setup (proxy, ports, TLS, node mirror) for its `setup` method, from the one it has (null: none yet). */
	setup: (current: ServerSetup | null) => ServerSetup;
	/** The proxy and ports the system install opens and writes units for. */
	proxy: { kind: "caddy" | "traefik"; httpPort: number; httpsPort: number };
	nodeMirror: string;
	proxyMirror?: string | undefined;
}

export interface SetUpServer {
	privilege: "root" | "sudo";
	facts: ServerFacts;
	runtime: RuntimeOutcome;
	system: SystemInstallResult;
	proxyVersion: string | null;
}

export async function setUpServer(host: RemoteHost, input: ServerSetupInput, emit: (event: DeployEvent) => void): Promise<SetUpServer> {
	const { facts, privilege } = await checkLogin(host, emit);
	const sudo = privilege === "sudo";
	await runStep(emit, "os", async () => checkSystem(facts, host.where), () => describeSystem(facts));
	// Issue 14: read before anything changes; a failure below undoes what this run started only on a server that was not set up.
	const wasSetUp = await setUpBefore(host, facts.home);
	const runtime = await runStep(emit, "runtime", () => installAgentRuntime(host, facts, input.nodeMirror, emit), (r) => `Node.js ${r.version} ${r.state === "installed" ? `installed from ${input.nodeMirror}, checksum-verified against SHASUMS256.txt` : "already installed"}`);
	await runStep(
		emit,
		"agent",
		async () => {
			const installed = await host.exec(rootCommand('cat "$1/bin/agent.sha256" 2>/dev/null', [facts.home]));
			if (installed.stdout.trim() === input.bundle.sha256) return "current";
			await host.installAgent({ bundle: input.bundle, sudo });
			return installed.stdout.trim() ? "upgraded" : "installed";
		},
		(state) => (state === "current" ? "already this version" : state),
	);
	// The agent's session ends the connection when it closes: what undoes a failure runs before.
	const agent: { session: AgentSession | null } = { session: null };
	try {
		return await startAgent(host, input, { facts, privilege, runtime, sudo }, emit, agent);
	} catch (error) {
		if (wasSetUp) throw error;
		throw await undoFailedSetup(host, facts.home, error, emit);
	} finally {
		await agent.session?.close();
	}
}

/** The system install (proxy binary, units, firewall), then the agent's daemon and its `setup`: the steps that start processes. */
async function startAgent(
	host: RemoteHost,
	input: ServerSetupInput,
	{ facts, privilege, runtime, sudo }: { facts: ServerFacts; privilege: "root" | "sudo"; runtime: RuntimeOutcome; sudo: boolean },
	emit: (event: DeployEvent) => void,
	agent: { session: AgentSession | null },
): Promise<SetUpServer> {
	const install = { owner: facts.user, proxy: input.proxy.kind, httpPort: input.proxy.httpPort, httpsPort: input.proxy.httpsPort, packages: runtime.packages, ...(input.proxyMirror ? { proxyMirror: input.proxyMirror } : {}) };
	const system = await runAgentSystem(host, facts.home, ["install", JSON.stringify(install)], (value) => systemInstallResult.parse(value), emit);
	// The agent's own "agent" step was told above: its session's start is not news.
	const onEvent = (event: DeployEvent) => (event.type === "step" && event.step === "agent" ? undefined : emit(event));
	let session = await host.openAgent({ bundle: input.bundle, sudo, onEvent });
	agent.session = session;
	const hello = await session.rpc.call("hello", { client: "servers" });
	if (hello.node !== `v${runtime.version}`) {
		// A daemon of this bundle still on another Node (the runtime was upgraded): it steps down, its apps keep
		// running, and the next channel starts it again on the new runtime. The old session's connection is this one.
		await session.rpc.call("shutdown", {}).catch(() => undefined);
		await gone(session);
		session = await host.openAgent({ bundle: input.bundle, sudo, onEvent });
		agent.session = session;
	}
	const { proxyVersion } = await session.rpc.call("setup", input.setup(hello.setup), { onEvent: emit });
	return { privilege, facts, runtime, system, proxyVersion };
}

/** Resolves once the session's agent stopped answering (its channel closed), at most 10 s. */
async function gone(session: AgentSession): Promise<void> {
	for (let waited = 0; waited < 10_000; waited += 100) {
		const alive = await session.rpc.call("hello", { client: "servers" }).then(
			() => true,
			() => false,
		);
		if (!alive) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
