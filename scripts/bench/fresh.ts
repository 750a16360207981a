// Issue 12's benchmark: `servers add` on a bare Debian 12 (test/fixtures/fresh-server.ts,
// the Node.js mirror on 127.0.0.1), step by step, then an app deployed, and a reboot
// (every process killed, the enabled units started as systemd would) until the app
// answers again with no client command.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFreshServer } from "../../test/fixtures/fresh-server.js";
import { startNodeMirror } from "../../test/fixtures/node-mirror.js";
import { freePort, httpGet } from "../../test/helpers/net.js";
import { timeCli } from "./measure.js";

export interface FreshResult {
	serversAddMs: number;
	/** Each step of `servers add` with its own time, in order. */
	steps: { step: string; ms: number; message: string }[];
	firstDeployMs: number;
	/** From the reboot (processes killed) until the app answered 200 through the proxy. */
	bootToAnswerMs: number;
}

export async function freshServerScenario(bin: string, root: string): Promise<FreshResult> {
	const [server, mirror] = await Promise.all([startFreshServer(), startNodeMirror()]);
	const home = await mkdtemp(join(tmpdir(), "deploy-bench-fresh-"));
	try {
		const app = join(home, "app");
		await cp(join(root, "examples", "express"), app, { recursive: true, filter: (source) => !source.includes("node_modules") });
		const env = { DEPLOY_HOME: home };
		const httpPort = await freePort();
		const add = await timeCli(bin, ["servers", "add", "fresh", "admin@127.0.0.1", "--port", String(server.port), "--identity", server.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(await freePort()), "--no-tls", "--accept-new-host-key", "--node-mirror", mirror.url, "--json"], { cwd: home, env });
		if (add.code !== 0) throw new Error(`servers add on the fresh server failed:\n${add.stderr}${add.stdout}`);
		const steps = add.stdout
			.split("\n")
			.filter((line) => line.startsWith("{"))
			.map((line) => JSON.parse(line) as { type?: string; step?: string; status?: string; durationMs?: number; message?: string })
			.filter((e) => e.type === "step" && e.status === "done")
			.map((e) => ({ step: e.step!, ms: e.durationMs ?? 0, message: e.message ?? "" }));
		const deploy = await timeCli(bin, ["--json"], { cwd: app, env });
		if (deploy.code !== 0) throw new Error(`deploy on the fresh server failed:\n${deploy.stderr}`);
		const host = "express-example.127.0.0.1.sslip.io";
		if ((await httpGet(httpPort, host)).status !== 200) throw new Error("the app does not answer after its deploy");
		const rebooted = process.hrtime.bigint();
		await server.reboot();
		for (;;) {
			if ((await httpGet(httpPort, host).then((a) => a.status, () => 0)) === 200) break;
			if (Number(process.hrtime.bigint() - rebooted) / 1e6 > 60_000) throw new Error("the app did not answer within 60 s of the reboot");
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return { serversAddMs: add.ms, steps, firstDeployMs: deploy.ms, bootToAnswerMs: Number(process.hrtime.bigint() - rebooted) / 1e6 };
	} finally {
		await server.stop();
		await mirror.stop();
		await rm(home, { recursive: true, force: true });
	}
}
