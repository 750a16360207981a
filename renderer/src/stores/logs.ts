import { create } from "zustand";
import { bridge, type ProjectInfo } from "../api/bridge.js";
import { type ErrorEnvelope, isAbort, toEnvelope } from "../api/errors.js";
import { ansiPlain } from "../text/ansi.js";
import { targetOf } from "./target.js";

export interface LogLine {
	id: number;
	/** As the app wrote it, colour codes included (AnsiText shows them as colours). */
	text: string;
	stderr: boolean;
	/** When the agent's log writer got the line (ISO); absent from lines of older agents. */
	time?: string;
	/** Which instance wrote it, `web:41234`. */
	instance?: string;
}

interface LogsState {
	/** The folder of the app whose lines are shown. */
	dir: string | null;
	lines: LogLine[];
	following: boolean;
	loading: boolean;
	error: ErrorEnvelope | null;
	filter: string;
	/** Reads the last lines, and with `follow` keeps streaming new ones until stop(). */
	open(project: ProjectInfo, follow: boolean): Promise<void>;
	stop(): void;
	setFilter(filter: string): void;
}

const MAX_LINES = 5000;
let controller: AbortController | null = null;
let nextId = 0;

export const useLogs = create<LogsState>()((set, get) => ({
	dir: null,
	lines: [],
	following: false,
	loading: false,
	error: null,
	filter: "",
	async open(project, follow) {
		controller?.abort();
		const mine = new AbortController();
		controller = mine;
		set({ dir: project.dir, lines: [], following: follow, loading: true, error: null });
		try {
			await bridge().call(
				"logs.read",
				{ ...targetOf(project), lines: 200, follow },
				{
					signal: mine.signal,
					onEvent: (event) => {
						if (event.type !== "log" || controller !== mine) return;
						const lines = get().lines;
						const kept = lines.length >= MAX_LINES ? lines.slice(lines.length - MAX_LINES + 1) : lines.slice();
						kept.push({ id: nextId++, text: event.line, stderr: event.stream === "stderr", ...(event.time ? { time: event.time } : {}), ...(event.instance ? { instance: event.instance } : {}) });
						set({ lines: kept, loading: false });
					},
				},
			);
		} catch (error) {
			if (controller === mine && !isAbort(error)) set({ error: toEnvelope(error) });
		} finally {
			if (controller === mine) {
				controller = null;
				set({ following: false, loading: false });
			}
		}
	},
	stop() {
		controller?.abort();
		controller = null;
		set({ following: false, loading: false });
	},
	setFilter: (filter) => set({ filter }),
}));

/** Lines matching the search box: every word, in any order, case-insensitive, in the text as shown or the instance. */
export function filterLines(lines: LogLine[], filter: string): LogLine[] {
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	if (words.length === 0) return lines;
	return lines.filter((line) => {
		const text = `${line.instance ?? ""} ${ansiPlain(line.text)}`.toLowerCase();
		return words.every((word) => text.includes(word));
	});
}
