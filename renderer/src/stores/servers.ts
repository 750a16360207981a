import { create } from "zustand";
import { type AddServerInput, bridge, type ServerInfo, type ServerStatus } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { type Activity, emptyActivity, foldEvent } from "./activity.js";

export interface AddAttempt {
	input: AddServerInput;
	running: boolean;
	activity: Activity;
	/** Set when the server's host key is not known yet: shown to the person, who decides. */
	fingerprint: string | null;
	error: ErrorEnvelope | null;
}

interface ServersState {
	servers: ServerInfo[];
	loaded: boolean;
	error: ErrorEnvelope | null;
	/** The last answer per server; kept while a refresh runs, so the health stays on screen. */
	statuses: Record<string, ServerStatus>;
	checking: Record<string, boolean>;
	adding: AddAttempt | null;
	load(): Promise<void>;
	checkStatus(name: string): Promise<void>;
	/** Adds a server; without `trust`, an unknown host key stops at the fingerprint for confirmation. */
	add(input: AddServerInput, trust?: boolean): Promise<boolean>;
	dismissAdd(): void;
	remove(name: string): Promise<void>;
}

export const useServers = create<ServersState>()((set, get) => ({
	servers: [],
	loaded: false,
	error: null,
	statuses: {},
	checking: {},
	adding: null,
	async load() {
		try {
			set({ servers: await bridge().call("servers.list", undefined), loaded: true, error: null });
		} catch (error) {
			set({ loaded: true, error: toEnvelope(error) });
		}
	},
	async checkStatus(name) {
		set({ checking: { ...get().checking, [name]: true } });
		let status: ServerStatus;
		try {
			status = await bridge().call("servers.status", { name });
		} catch (error) {
			const { code, message, hint } = toEnvelope(error);
			status = { name, reachable: false, agentVersion: null, node: null, proxy: null, error: { code, message, ...(hint ? { hint } : {}) } };
		}
		set({ statuses: { ...get().statuses, [name]: status }, checking: { ...get().checking, [name]: false } });
	},
	async add(input, trust = false) {
		const attempt: AddAttempt = { input, running: true, activity: emptyActivity(), fingerprint: null, error: null };
		set({ adding: attempt });
		const update = (patch: Partial<AddAttempt>) => {
			const current = get().adding;
			if (current) set({ adding: { ...current, ...patch } });
		};
		try {
			await bridge().call("servers.add", { ...input, ...(trust ? { acceptNewHostKey: true } : {}) }, {
				onEvent: (event) => update({ activity: foldEvent(get().adding?.activity ?? emptyActivity(), event) }),
			});
			set({ adding: null });
			await get().load();
			void get().checkStatus(input.name);
			return true;
		} catch (error) {
			const info = toEnvelope(error);
			if (info.code === "HOST_KEY_UNKNOWN" && !trust) update({ running: false, fingerprint: fingerprintIn(info) });
			else update({ running: false, error: info });
			return false;
		}
	},
	dismissAdd: () => set({ adding: null }),
	async remove(name) {
		try {
			await bridge().call("servers.remove", { name });
			await get().load();
		} catch (error) {
			set({ error: toEnvelope(error) });
		}
	},
}));

/** The fingerprint travels in the error's details; older agents only name it in the message. */
function fingerprintIn(info: ErrorEnvelope): string {
	const found = info.details?.find((line) => line.startsWith("SHA256:")) ?? /SHA256:[A-Za-z0-9+/=]+/.exec(info.message)?.[0];
	return found ?? "(not reported: check it on the server before trusting it)";
}
