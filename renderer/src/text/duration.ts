// Durations as the CLI writes them (core/protocol/duration.ts, which the renderer may not
// import): pretty-ms, two units at most, 850ms, 12.3s, 4m 5s, 2h 3m, 3d 4h.
import prettyMs from "pretty-ms";

export function formatDuration(ms: number): string {
	return prettyMs(Math.max(0, ms), { unitCount: 2 });
}

/** A request's latency: 0.4ms, 3.5ms, 120ms, 1.2s (a tenth of a millisecond under 10 ms, where it tells cached from not). */
export function formatLatency(ms: number): string {
	return prettyMs(Math.max(0, ms), { millisecondsDecimalDigits: ms < 10 ? 1 : 0 });
}
