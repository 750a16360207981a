const BARS = "▁▂▃▄▅▆▇█";

/**
 * A sparkline of `values` squeezed into at most `width` columns: each column takes
 * `combine` of the values it covers (a sum for counts, a max for latency). Null is a
 * blank: nothing was measured then. The scale runs from 0 to the largest column, so
 * a flat line of small values stays low instead of filling the row. Pure.
 */
export function sparkline(values: readonly (number | null)[], width: number, combine: (values: number[]) => number = sum): string {
	const columns = squeeze(values, width, combine);
	const top = Math.max(0, ...columns.map((value) => value ?? 0));
	return columns
		.map((value) => {
			if (value === null) return " ";
			if (top === 0) return BARS[0];
			return BARS[Math.min(BARS.length - 1, Math.round((value / top) * (BARS.length - 1)))];
		})
		.join("");
}

export function squeeze(values: readonly (number | null)[], width: number, combine: (values: number[]) => number): (number | null)[] {
	if (values.length <= width) return [...values];
	const columns: (number | null)[] = [];
	for (let column = 0; column < width; column++) {
		const start = Math.floor((column * values.length) / width);
		const end = Math.floor(((column + 1) * values.length) / width);
		const measured = values.slice(start, end).filter((value): value is number => value !== null);
		columns.push(measured.length ? combine(measured) : null);
	}
	return columns;
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
export const max = (values: number[]): number => Math.max(...values);
export const mean = (values: number[]): number => sum(values) / values.length;
