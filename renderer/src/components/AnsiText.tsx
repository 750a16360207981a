import { useMemo } from "react";
import { ansiSegments } from "../text/ansi.js";
import "../styles/ansi.css";

/** A line of an app's or a build's output with its colours, never its escape codes (text/ansi.ts). */
export function AnsiText({ text }: { text: string }) {
	const segments = useMemo(() => ansiSegments(text), [text]);
	return (
		<>
			{segments.map((segment, index) =>
				segment.className ? (
					// Runs of one line never reorder: their position is a stable key.
					// biome-ignore lint/suspicious/noArrayIndexKey: fixed runs of one line
					<span key={index} className={segment.className}>
						{segment.text}
					</span>
				) : (
					segment.text
				),
			)}
		</>
	);
}
