// The Environment view's secrets: `deploy env` values of an app, kept encrypted on the
// server. Listed masked; one value is revealed at a time, on a person's click, and
// hidden again. Setting or removing one makes a new release (no rebuild) on the server.
import { create } from "zustand";
import type { EnvChangeResult, EnvListResult } from "../../../core/api/env.js";
import type { EnvEnvironment } from "../../../core/protocol/env.js";
import { bridge } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";

export type { EnvEnvironment, EnvListResult };

interface EnvState {
	environment: EnvEnvironment;
	/** By app name, for the chosen environment. */
	lists: Record<string, { list: EnvListResult | null; loading: boolean; error: ErrorEnvelope | null }>;
	/** "app/environment/KEY" -> the value in the clear, only for what was revealed. */
	revealed: Record<string, string>;
	/** A set or unset in flight (it releases on the server), or the last one's outcome. */
	saving: boolean;
	lastChange: EnvChangeResult | null;
	error: ErrorEnvelope | null;
	setEnvironment(environment: EnvEnvironment): void;
	load(app: string): Promise<void>;
	reveal(app: string, key: string): Promise<void>;
	hide(app: string, key: string): void;
	setVar(app: string, key: string, value: string): Promise<boolean>;
	unsetVar(app: string, key: string): Promise<boolean>;
}

export const secretKey = (app: string, environment: EnvEnvironment, key: string) => `${app}/${environment}/${key}`;

export const useEnv = create<EnvState>()((set, get) => {
	const put = (app: string, patch: Partial<EnvState["lists"][string]>) => {
		const current = get().lists[app] ?? { list: null, loading: false, error: null };
		set({ lists: { ...get().lists, [app]: { ...current, ...patch } } });
	};
	const change = async (app: string, call: () => Promise<EnvChangeResult>): Promise<boolean> => {
		set({ saving: true, error: null });
		try {
			const result = await call();
			// A changed value is hidden again: what was revealed may be stale.
			const prefix = `${app}/${get().environment}/`;
			set({ saving: false, lastChange: result, revealed: Object.fromEntries(Object.entries(get().revealed).filter(([k]) => !k.startsWith(prefix))) });
			await get().load(app);
			return true;
		} catch (error) {
			set({ saving: false, error: toEnvelope(error) });
			return false;
		}
	};
	return {
		environment: "production",
		lists: {},
		revealed: {},
		saving: false,
		lastChange: null,
		error: null,
		setEnvironment(environment) {
			set({ environment, lists: {}, revealed: {}, lastChange: null, error: null });
		},
		async load(app) {
			put(app, { loading: true });
			try {
				put(app, { list: await bridge().call("env.list", { app, environment: get().environment }), loading: false, error: null });
			} catch (error) {
				put(app, { loading: false, error: toEnvelope(error) });
			}
		},
		async reveal(app, key) {
			const { environment } = get();
			try {
				const { vars } = await bridge().call("env.list", { app, environment, key, reveal: true });
				const value = vars.find((v) => v.key === key)?.value;
				if (value !== undefined) set({ revealed: { ...get().revealed, [secretKey(app, environment, key)]: value }, error: null });
			} catch (error) {
				set({ error: toEnvelope(error) });
			}
		},
		hide(app, key) {
			const { [secretKey(app, get().environment, key)]: _gone, ...rest } = get().revealed;
			set({ revealed: rest });
		},
		setVar: (app, key, value) => change(app, () => bridge().call("env.set", { app, environment: get().environment, vars: { [key]: value } })),
		unsetVar: (app, key) => change(app, () => bridge().call("env.unset", { app, environment: get().environment, keys: [key] })),
	};
});
