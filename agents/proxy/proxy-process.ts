import { writeFileAtomic } from "../fs/atomic-write.js";
import { mainPid, PROXY_UNIT, systemctl } from "../system/systemd.js";
import { isRunningAs, launchedAs, readPid, spawnDetached, terminate, waitFor } from "./process.js";
import { type ProxyLaunch, renderEnvFile } from "./launch.js";
import { DeployError } from "../../core/protocol/index.js";

/**
 * Starts and stops the proxy process (or the resolver beside Caddy). Where systemd runs
 * the machine's own install, the process is its unit's (so systemd restarts it and starts
 * it at boot); elsewhere the agent spawns it detached, so it outlives the agent and the
 * SSH session.
 */
export class ProxyProcess {
	constructor(
		private readonly launch: ProxyLaunch,
		private readonly systemd: boolean,
		private readonly unit = PROXY_UNIT,
	) {}

	/**
	 * The pid serving now, or null: systemd's, else the pid file's, else a process running
	 * this very command line (one started by the unit at boot where systemd is not PID 1,
	 * or by the agent before the unit existed): it is ours, and is adopted.
	 */
	async running(): Promise<number | null> {
		const unitPid = this.systemd ? await mainPid(this.unit) : null;
		if (unitPid) return unitPid;
		const pid = await readPid(this.launch.pidFile);
		if (pid && (await isRunningAs(pid, this.launch.name))) return pid;
		const [found] = await launchedAs(this.launch);
		if (found) await writeFileAtomic(this.launch.pidFile, `${found}\n`);
		return found ?? null;
	}

	/** Starts it with these variables; returns its pid (null when systemd has not told one yet). */
	async start(env: Record<string, string>): Promise<number | null> {
		await writeFileAtomic(this.launch.envFile, renderEnvFile(env), 0o600);
		if (!this.systemd) {
			const { binary, args, log, cwd } = this.launch;
			const pid = await spawnDetached(binary, args, log, cwd, env);
			await writeFileAtomic(this.launch.pidFile, `${pid}\n`);
			return pid;
		}
		const started = await systemctl(["start", this.unit]);
		if (!started.ok) {
			throw new DeployError("PROXY_UNAVAILABLE", `systemd could not start ${this.unit}.`, `Read \`journalctl -u ${this.unit}\` and ${this.launch.log} on the server.`, started.output.split("\n"));
		}
		const pid = await mainPid(this.unit);
		if (pid) await writeFileAtomic(this.launch.pidFile, `${pid}\n`);
		return pid;
	}

	/** Stops it and waits until it is gone. */
	async stop(): Promise<void> {
		if (this.systemd) await systemctl(["stop", this.unit]);
		const pid = await this.running();
		if (pid) await terminate(pid);
		// Any other copy of the same command line (two started at once) goes too.
		for (const other of await launchedAs(this.launch)) await terminate(other);
	}

	/** Waits up to `ms` for the process to end by itself (Caddy's /stop). */
	async waitGone(ms: number): Promise<boolean> {
		return waitFor(async () => (await this.running()) === null, ms);
	}
}
