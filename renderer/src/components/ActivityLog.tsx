import { useEffect, useRef } from "react";
import { formatDuration } from "../text/duration.js";
import type { Activity } from "../stores/activity.js";
import { AnsiText } from "./AnsiText.js";

/** The live output of a long operation: steps as they change, every log line as it comes. */
export function ActivityLog({ activity, label, running }: { activity: Activity; label: string; running: boolean }) {
	const end = useRef<HTMLLIElement>(null);
	const count = activity.lines.length;
	useEffect(() => {
		// Follow the newest line while the operation runs, like a terminal.
		if (running && count > 0) end.current?.scrollIntoView({ block: "nearest" });
	}, [count, running]);
	return (
		<section className="activity" aria-label={label}>
			{activity.steps.length ? (
				<ol className="steps">
					{activity.steps.map((step) => (
						<li key={step.name} className={`step step-${step.status}`}>
							<span className="step-name">{step.name}</span>
							<span className="step-status">{step.status}</span>
							{step.durationMs !== undefined ? <span className="step-time">{formatDuration(step.durationMs)}</span> : null}
						</li>
					))}
				</ol>
			) : null}
			{activity.progress && running ? (
				<p className="progress-line">
					{activity.progress.step}: {activity.progress.done} / {activity.progress.total} {activity.progress.unit}
				</p>
			) : null}
			<ol className="log-lines" role="log" aria-live="polite" aria-label={`${label}: output`} data-testid="live-log">
				{activity.lines.map((line, index) => (
					// Lines are append-only, so their position is a stable key.
					// biome-ignore lint/suspicious/noArrayIndexKey: append-only list
					<li key={index} className={`line line-${line.kind} tone-${line.tone}`}>
						<AnsiText text={line.text} />
					</li>
				))}
				{running ? (
					<li ref={end} className="line line-cursor" aria-hidden="true">
						…
					</li>
				) : null}
			</ol>
		</section>
	);
}
