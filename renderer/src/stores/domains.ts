import { create } from "zustand";
import type { DomainAddResult, DomainList } from "../../../core/api/domains.js";
import { bridge, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, toEnvelope } from "../api/errors.js";
import { targetOf } from "./target.js";

export type { DnsCheck, DomainAddResult, DomainInfo, DomainList } from "../../../core/api/domains.js";

export interface DomainsEntry {
	list: DomainList | null;
	loading: boolean;
	error: ErrorEnvelope | null;
	/** The domain being added or removed right now; the form waits for it. */
	busy: string | null;
	/** Why the last add or remove failed (a bad name, HOST_IN_USE...), shown by the form. */
	changeError: ErrorEnvelope | null;
	/** The last domain added, with its DNS check: what record to create. */
	added: DomainAddResult | null;
}

interface DomainsState {
	byDir: Record<string, DomainsEntry>;
	load(project: ProjectInfo): Promise<void>;
	add(project: ProjectInfo, domain: string): Promise<boolean>;
	remove(project: ProjectInfo, domain: string): Promise<boolean>;
}

const empty: DomainsEntry = { list: null, loading: false, error: null, busy: null, changeError: null, added: null };

/** The app's custom domains (issue 6) through the api: list with DNS and certificates, add, remove. */
export const useDomains = create<DomainsState>()((set, get) => {
	const put = (dir: string, entry: Partial<DomainsEntry>) => {
		const current = get().byDir[dir] ?? empty;
		set({ byDir: { ...get().byDir, [dir]: { ...current, ...entry } } });
	};
	const change = async (project: ProjectInfo, domain: string, run: () => Promise<DomainAddResult | null>): Promise<boolean> => {
		put(project.dir, { busy: domain, changeError: null });
		try {
			const added = await run();
			put(project.dir, { busy: null, added });
			await get().load(project);
			return true;
		} catch (error) {
			put(project.dir, { busy: null, changeError: toEnvelope(error) });
			return false;
		}
	};
	return {
		byDir: {},
		async load(project) {
			put(project.dir, { loading: true });
			try {
				put(project.dir, { list: await bridge().call("domains.list", targetOf(project)), loading: false, error: null });
			} catch (error) {
				put(project.dir, { loading: false, error: toEnvelope(error) });
			}
		},
		add: (project, domain) => change(project, domain, () => bridge().call("domains.add", { ...targetOf(project), domain })),
		remove: (project, domain) =>
			change(project, domain, async () => {
				await bridge().call("domains.remove", { ...targetOf(project), domain });
				return null;
			}),
	};
});
