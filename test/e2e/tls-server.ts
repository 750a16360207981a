// A server that gets real certificates, as a user sets one up: Pebble (Let's Encrypt's
// test CA, its mock DNS answering 127.0.0.1 for every name) on the proxy's ports, a real
// sshd, examples/hello as `app`, `servers add … --proxy caddy --acme-ca`, and its first
// deploy, all by the built CLI. Build first.
import assert from "node:assert/strict";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Pebble, startPebble } from "../fixtures/pebble.js";
import { type Sshd, startSshd } from "../fixtures/sshd.js";
import { type CliRun, repoRoot, runCli } from "../helpers/cli.js";
import { freePort } from "../helpers/net.js";

export interface TlsTestServer {
	pebble: Pebble;
	sshd: Sshd;
	/** DEPLOY_HOME of the client. */
	home: string;
	appDir: string;
	httpPort: number;
	httpsPort: number;
	/** The built CLI in the app's folder, with this DEPLOY_HOME. */
	cli(args: string[]): Promise<CliRun>;
	stop(): Promise<void>;
}

export function expectOk(run: CliRun): void {
	assert.equal(run.code, 0, `${run.stderr}\n${run.stdout}`);
}

export async function startTlsTestServer(prefix: string, app: string): Promise<TlsTestServer> {
	const [httpPort, httpsPort] = [await freePort(), await freePort()];
	// Pebble first: Caddy backs off for a minute after a failed attempt.
	const pebble = await startPebble({ httpPort, tlsPort: httpsPort });
	const sshd = await startSshd();
	const home = await mkdtemp(join(tmpdir(), `${prefix}home-`));
	const appDir = await mkdtemp(join(tmpdir(), `${prefix}app-`));
	const cli = (args: string[]) => runCli(args, { cwd: appDir, env: { DEPLOY_HOME: home } });
	const stop = async () => {
		await sshd.stop();
		await pebble.stop();
		await rm(home, { recursive: true, force: true });
		await rm(appDir, { recursive: true, force: true });
	};
	try {
		await cp(join(repoRoot, "examples", "hello"), appDir, { recursive: true });
		await writeFile(join(appDir, "deploy.yaml"), `app: ${app}\n`);
		expectOk(
			await cli([
				...["servers", "add", "prod", `${sshd.user}@127.0.0.1`, "--port", String(sshd.port), "--identity", sshd.identityFile, "--proxy", "caddy"],
				...["--http-port", String(httpPort), "--https-port", String(httpsPort), "--accept-new-host-key"],
				...["--acme-ca", pebble.directory, "--acme-ca-root", pebble.endpointCertFile],
			]),
		);
		expectOk(await cli(["--json"]));
	} catch (error) {
		await stop();
		throw error;
	}
	return { pebble, sshd, home, appDir, httpPort, httpsPort, cli, stop };
}
