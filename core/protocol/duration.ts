// The one duration formatter of the client and the agent (here because the agent
// imports only core/protocol): pretty-ms, two units at most. The renderer bundles
// none of this; renderer/src/text/duration.ts calls the library the same way.
import ms from "ms";
import prettyMs from "pretty-ms";

/** 850ms, 12.3s, 4m 5s, 2h 3m, 3d 4h: how long something took or has been up. */
export function formatDuration(ms: number): string {
	return prettyMs(Math.max(0, ms), { unitCount: 2 });
}

/** A request's latency: 0.4ms, 3.5ms, 120ms, 1.2s (a tenth of a millisecond under 10 ms, where it tells cached from not). */
export function formatLatency(ms: number): string {
	return prettyMs(Math.max(0, ms), { millisecondsDecimalDigits: ms < 10 ? 1 : 0 });
}

/** 45s, 5m, 3h, 2d: the largest unit alone, whole seconds at least, for "5m ago" and "expires in 2d" in a table. */
export function formatAge(ms: number): string {
	return ms < 1000 ? "0s" : prettyMs(ms, { compact: true });
}

/**
 * Milliseconds in a duration as a person writes it (`90s`, `10m`, `12h`, `7d`, `2w`),
 * read by the `ms` library; null when it is not one. Each caller still says which
 * forms it accepts (its own pattern): this only reads them.
 */
export function parseDuration(text: string): number | null {
	const value = text.trim() ? ms(text.trim() as ms.StringValue) : undefined;
	return typeof value === "number" && Number.isFinite(value) ? value : null;
}
