/**
 * A small line chart in plain SVG: enough for a few minutes of samples, no chart
 * library. Gaps (null values) break the line. Presentation attributes, not style
 * attributes, so the strict CSP holds.
 */
export function LineChart({ values, max, label, format }: { values: (number | null)[]; max: number; label: string; format: (value: number) => string }) {
	const width = 240;
	const height = 64;
	const top = Math.max(max, ...values.map((value) => value ?? 0), 1e-9);
	const step = values.length > 1 ? width / (values.length - 1) : width;
	const segments: string[] = [];
	let current = "";
	values.forEach((value, index) => {
		if (value === null) {
			if (current) segments.push(current);
			current = "";
			return;
		}
		const x = (index * step).toFixed(1);
		const y = (height - (value / top) * (height - 4) - 2).toFixed(1);
		current += `${current ? " L" : "M"}${x} ${y}`;
	});
	if (current) segments.push(current);
	const last = [...values].reverse().find((value) => value !== null);
	return (
		<figure className="chart">
			<figcaption>
				<span>{label}</span>
				<strong>{last === undefined || last === null ? "n/a" : format(last)}</strong>
			</figcaption>
			<svg viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img" aria-label={`${label}: ${values.length} samples, latest ${last === undefined || last === null ? "n/a" : format(last)}`}>
				<line x1="0" y1={height - 1} x2={width} y2={height - 1} className="chart-axis" />
				{segments.map((path) => (
					<path key={path} d={path} className="chart-line" fill="none" vectorEffect="non-scaling-stroke" />
				))}
			</svg>
		</figure>
	);
}
