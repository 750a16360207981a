import { useEffect } from "react";
import { create } from "zustand";
import type { Whoami } from "../../../core/api/team.js";
import type { ProjectInfo } from "../api/bridge.js";
import { bridge } from "../api/bridge.js";
import { type AppAction, whyNot, whyNotOwnerOnly } from "../text/why-not.js";
import { useServers } from "./servers.js";

/**
 * Issue 16, item 6: who this machine's key is on each server (`whoami`), asked once per
 * server, so the views can disable what the caller's role cannot do. Not knowing (an
 * unreachable server, an older agent) disables nothing: the server is the judge.
 */
interface AccessState {
	byServer: Record<string, Whoami | "loading" | "unknown">;
	load(server: string, again?: boolean): Promise<void>;
	/** A fresher answer another view got (the Team view's refresh): the other views follow a role change without a reload. */
	remember(server: string, me: Whoami): void;
}

export const useAccess = create<AccessState>()((set, get) => ({
	byServer: {},
	async load(server, again = false) {
		if (get().byServer[server] && !again) return;
		set({ byServer: { ...get().byServer, [server]: "loading" } });
		let me: Whoami | "unknown";
		try {
			me = await bridge().call("team.whoami", { server });
		} catch {
			me = "unknown";
		}
		set({ byServer: { ...get().byServer, [server]: me } });
	},
	remember(server, me) {
		set({ byServer: { ...get().byServer, [server]: me } });
	},
}));

/** The caller on one server (undefined while unknown), asked for when first needed. */
export function useWhoami(server: string | null): Whoami | undefined {
	const entry = useAccess((state) => (server ? state.byServer[server] : undefined));
	const load = useAccess((state) => state.load);
	useEffect(() => {
		if (server) void load(server);
	}, [server, load]);
	return typeof entry === "object" ? entry : undefined;
}

/** The server an app's calls go to: its own, else the only one this machine knows. */
function useServerOf(project: ProjectInfo | null): string | null {
	const { servers, loaded, load } = useServers();
	useEffect(() => {
		if (project && !project.server && !loaded) void load();
	}, [project, loaded, load]);
	if (!project) return null;
	return project.server ?? (servers.length === 1 ? servers[0]!.name : null);
}

/** `whyNot(action)` for the chosen app: null when it may be done (or nothing is known against it), else the reason. */
export function useWhyNot(project: ProjectInfo | null): (action: AppAction) => string | null {
	const me = useWhoami(useServerOf(project));
	return (action) => (project ? whyNot(me, action, project.name) : null);
}

/** Why the caller may not do what only the server's owner can (`what`: "open a shell here"); null when they may. */
export function useOwnerOnly(server: string | null, what: string): string | null {
	return whyNotOwnerOnly(useWhoami(server), what);
}
