import { create } from "zustand";
import { type AddServerInput, bridge, type ServerInfo, type ServerProbe, type ServerStatus } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { type Activity, emptyActivity, foldEvent } from "./activity.js";

/**
 * Adding a server, in two steps (issue 14): `probe` logs in without trusting anything
 * and shows the host key and which proxy works there; `add` then trusts exactly that key.
 */
export interface AddAttempt {
	/** Where to connect: name, destination, SSH port, identity file. */
	input: AddServerInput;
	running: boolean;
	activity: Activity;
	/** What the read-only login found; null until it answered. */
	probe: ServerProbe | null;
	error: ErrorEnvelope | null;
}

/** The choices a person makes once they saw the probe: the proxy, its ports, TLS. */
export type AddChoices = Pick<AddServerInput, "proxy" | "httpPort" | "httpsPort" | "tls" | "acmeCa" | "acmeEmail">;

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
	/** Step 1: a read-only login; nothing is trusted, stored or changed. */
	probe(input: AddServerInput): Promise<void>;
	/** Step 2, after a person compared the fingerprint: sets the server up, trusting only the key the probe showed. */
	add(choices: AddChoices): Promise<boolean>;
	dismissAdd(): void;
	remove(name: string): Promise<void>;
}

export const useServers = create<ServersState>()((set, get) => {
	const updateAdding = (patch: Partial<AddAttempt>) => {
		const current = get().adding;
		if (current) set({ adding: { ...current, ...patch } });
	};
	return {
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
		async probe(input) {
			set({ adding: { input, running: true, activity: emptyActivity(), probe: null, error: null } });
			try {
				const { name: _name, ...where } = input;
				const probe = await bridge().call("servers.probe", where, { onEvent: (event) => updateAdding({ activity: foldEvent(get().adding?.activity ?? emptyActivity(), event) }) });
				// The login's steps are done with: the activity shown next is the setup's.
				updateAdding({ running: false, probe, activity: emptyActivity() });
			} catch (error) {
				updateAdding({ running: false, error: toEnvelope(error) });
			}
		},
		async add(choices) {
			const attempt = get().adding;
			if (!attempt?.probe) return false;
			const input: AddServerInput = { ...attempt.input, ...choices, hostKeyFingerprint: attempt.probe.hostKeyFingerprint };
			updateAdding({ running: true, activity: emptyActivity(), error: null });
			try {
				await bridge().call("servers.add", input, { onEvent: (event) => updateAdding({ activity: foldEvent(get().adding?.activity ?? emptyActivity(), event) }) });
				set({ adding: null });
				await get().load();
				void get().checkStatus(input.name);
				return true;
			} catch (error) {
				updateAdding({ running: false, error: toEnvelope(error) });
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
	};
});
