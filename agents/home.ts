import { homedir } from "node:os";
import { join } from "node:path";

/** Where every file of the agent lives; one object so no module guesses a path. */
export interface AgentHome {
	root: string;
	objects: string;
	apps: string;
	proxy: string;
	socket: string;
	log: string;
	pidFile: string;
	serverJson: string;
}

export function resolveHome(env: NodeJS.ProcessEnv = process.env): AgentHome {
	const root = env.DEPLOY_AGENT_HOME || (process.getuid?.() === 0 ? "/var/lib/deploy" : join(homedir(), ".deploy"));
	return {
		root,
		objects: join(root, "objects"),
		apps: join(root, "apps"),
		proxy: join(root, "proxy"),
		socket: join(root, "agent.sock"),
		log: join(root, "agent.log"),
		pidFile: join(root, "agent.pid"),
		serverJson: join(root, "server.json"),
	};
}

/** The folders of one app: releases, deployment records and logs, supervised state. */
export function appPaths(home: AgentHome, app: string) {
	const dir = join(home.apps, app);
	return {
		dir,
		releases: join(dir, "releases"),
		release: (id: string) => join(dir, "releases", id),
		/** The spec a release was deployed with, beside its folder: what a rollback starts. */
		releaseSpec: (id: string) => join(dir, "releases", `${id}.release.json`),
		/** The source manifest a release was deployed from: the base a redeploy's manifest diff names. */
		releaseManifest: (id: string) => join(dir, "releases", `${id}.manifest.json`),
		deployments: join(dir, "deployments"),
		record: (id: string) => join(dir, "deployments", `${id}.json`),
		deployLog: (id: string) => join(dir, "deployments", `${id}.log`),
		appLog: join(dir, "logs", "app.log"),
		state: join(dir, "state.json"),
	};
}
export type AppPaths = ReturnType<typeof appPaths>;
