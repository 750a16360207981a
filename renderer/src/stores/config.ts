// The Env and Domains views' data: an app's resolved deploy.yaml with env values
// masked. A value is revealed one at a time, on a person's click, and hidden again.
import { create } from "zustand";
import { bridge } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import type { ProjectConfigInfo } from "../../../core/api/types.js";

export type { ProjectConfigInfo };

interface ConfigState {
	/** By app name. */
	configs: Record<string, { config: ProjectConfigInfo | null; loading: boolean; error: ErrorEnvelope | null }>;
	/** "app/KEY" -> the value in the clear, only for what was revealed. */
	revealed: Record<string, string>;
	revealError: ErrorEnvelope | null;
	load(name: string): Promise<void>;
	reveal(name: string, key: string): Promise<void>;
	hide(name: string, key: string): void;
}

export const revealKey = (name: string, key: string) => `${name}/${key}`;

export const useConfig = create<ConfigState>()((set, get) => ({
	configs: {},
	revealed: {},
	revealError: null,
	async load(name) {
		const put = (patch: Partial<ConfigState["configs"][string]>) => {
			const current = get().configs[name] ?? { config: null, loading: false, error: null };
			set({ configs: { ...get().configs, [name]: { ...current, ...patch } } });
		};
		put({ loading: true });
		try {
			put({ config: await bridge().call("projects.config", { name }), loading: false, error: null });
		} catch (error) {
			put({ loading: false, error: toEnvelope(error) });
		}
	},
	async reveal(name, key) {
		try {
			const { value } = await bridge().call("projects.revealEnv", { name, key });
			set({ revealed: { ...get().revealed, [revealKey(name, key)]: value }, revealError: null });
		} catch (error) {
			set({ revealError: toEnvelope(error) });
		}
	},
	hide(name, key) {
		const { [revealKey(name, key)]: _gone, ...rest } = get().revealed;
		set({ revealed: rest });
	},
}));
