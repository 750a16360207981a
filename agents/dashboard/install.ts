// Issue 17, item 4: `api.dashboard` puts a renderer build in place from the objects the
// client uploaded (only the ones the store lacked travelled). The build is written into
// a temp folder, renamed to its version, then `current` is swapped to it: a page being
// served never sees half a build. Older builds are removed once the new one is served.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, symlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { DashboardFile } from "../../core/protocol/dashboard.js";
import { DeployError } from "../../core/protocol/errors.js";
import type { HasHome, HasStore } from "../context/parts.js";
import { writeJsonAtomic } from "../fs/atomic-write.js";
import { copyObjectsTo } from "../objects/copy-out.js";
import { serialized } from "../proxy/serial.js";
import { currentDashboardVersion, dashboardPaths } from "./paths.js";

export interface DashboardInstall {
	version: string;
	files: number;
	installed: boolean;
}

const oneAtATime = serialized();

/** The build's identity: the same files under the same paths give the same version. */
export function dashboardVersion(files: readonly DashboardFile[]): string {
	const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map(({ path, id }) => ({ path, id }));
	return createHash("sha256").update(JSON.stringify(sorted)).digest("hex");
}

export function installDashboard(parts: HasHome & HasStore, files: readonly DashboardFile[]): Promise<DashboardInstall> {
	return oneAtATime(async () => {
		const version = dashboardVersion(files);
		const paths = dashboardPaths(parts.home.root);
		const served = await currentDashboardVersion(parts.home.root);
		if (served === version && (await stat(paths.build(version)).catch(() => null))?.isDirectory()) return { version, files: files.length, installed: false };
		const missing = await parts.store.missing(files.map((file) => file.id));
		if (missing.length > 0) {
			throw new DeployError("OBJECTS_MISSING", `${missing.length} file(s) of the dashboard's build are not on the server.`, "Upload them with objects.put first: `deploy servers api enable` does.");
		}
		// Private like all of the agent's home (issue 13): only the agent reads these files, to answer the listener's requests.
		await mkdir(paths.dir, { recursive: true, mode: 0o700 });
		const temp = join(paths.dir, `.build-${randomBytes(6).toString("hex")}`);
		try {
			for (const folder of new Set(files.map((file) => dirname(join(temp, file.path))))) await mkdir(folder, { recursive: true, mode: 0o700 });
			await copyObjectsTo(
				parts.store,
				files.map((file) => ({ id: file.id, target: join(temp, file.path), mode: 0o600 })),
				(file, error) => new DeployError("DASHBOARD_WRITE_FAILED", `Could not write ${file.target}: ${error.message}`, "Check the free space of the agent's home."),
			);
			await writeJsonAtomic(paths.manifest(version), files);
			await rm(paths.build(version), { recursive: true, force: true });
			await rename(temp, paths.build(version));
		} finally {
			await rm(temp, { recursive: true, force: true });
		}
		await swapCurrent(paths, version);
		if (served && served !== version) {
			await rm(paths.build(served), { recursive: true, force: true });
			await rm(paths.manifest(served), { force: true });
		}
		return { version, files: files.length, installed: true };
	});
}

/** A new link renamed over the old one: `current` always names a whole build. */
async function swapCurrent(paths: ReturnType<typeof dashboardPaths>, version: string): Promise<void> {
	const link = join(paths.dir, `.current-${randomBytes(6).toString("hex")}`);
	await symlink(version, link);
	await rename(link, paths.current).catch(async (error) => {
		await rm(link, { force: true });
		throw error;
	});
}
