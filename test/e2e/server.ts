// One "server" for a test file: a real sshd on 127.0.0.1 with its own agent home,
// added with `deploy servers add --proxy caddy --no-tls` (plain HTTP: TLS has its own
// test, test/core/servers/acme.test.ts), and a copy of an example app.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Sshd, type SshdOptions, startSshd } from "../fixtures/sshd.js";
import { type CliRun, repoRoot, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

export interface TestServer {
	sshd: Sshd;
	/** The proxy's HTTP port on 127.0.0.1. */
	httpPort: number;
	/** A copy of the example, to edit and deploy from. */
	appDir: string;
	/** The environment every CLI run of this test gets (its own local store). */
	env: Record<string, string>;
	/** The CLI with this test's local store, run in the app's folder unless told otherwise. */
	cli(args: string[], cwd?: string): Promise<CliRun>;
	stop(): Promise<void>;
}

export interface TestServerOptions {
	/** How the sshd is made (e.g. `runtime: false`: a home without the agent's runtime, which `servers add` then installs). */
	sshd?: SshdOptions;
	/** More arguments for `servers add` (e.g. `--node-mirror <url>`). */
	addArgs?: string[];
}

export async function startTestServer(example: string, options: TestServerOptions = {}): Promise<TestServer> {
	const home = await mkdtemp(join(tmpdir(), "deploy-e2e-home-"));
	const appDir = await mkdtemp(join(tmpdir(), `deploy-e2e-${example}-`));
	await cp(join(repoRoot, "examples", example), appDir, { recursive: true });
	const sshd = await startSshd(options.sshd);
	const httpPort = await freePort();
	const httpsPort = await freePort();
	const env = { DEPLOY_HOME: home };
	const cli = (args: string[], cwd = appDir) => runCli(args, { cwd, env });
	const stop = async () => {
		await sshd.stop();
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	};
	const destination = `${sshd.user}@127.0.0.1`;
	const add = await cli(
		["servers", "add", "prod", destination, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy", "--http-port", String(httpPort), "--https-port", String(httpsPort), "--no-tls", "--accept-new-host-key", ...(options.addArgs ?? [])],
		home,
	);
	if (add.code !== 0) {
		await stop();
		throw new Error(`servers add failed:\n${add.stderr}`);
	}
	return { sshd, httpPort, appDir, env, cli, stop };
}
