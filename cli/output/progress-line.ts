import { formatSize } from "../../core/protocol/size.js";

/**
 * The upload's progress as one line a terminal redraws in place: bytes sent of the
 * total, a bar, and the rate measured over `window` (nothing before it has a time).
 * Pure: tested by equality.
 */
export function progressLine(done: number, total: number, window: { bytes: number; ms: number }, width = 20): string {
	const share = total > 0 ? Math.min(1, done / total) : 1;
	const filled = Math.round(share * width);
	const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
	const rate = window.ms > 0 && window.bytes > 0 ? `  ${formatSize((window.bytes * 1000) / window.ms)}/s` : "";
	return `  upload ${bar} ${formatSize(done)} of ${formatSize(total)}${rate}`;
}
