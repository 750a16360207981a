import { useEffect, useMemo, useRef } from "react";
import { AnsiText } from "../components/AnsiText.js";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { useStickToBottom } from "../components/stick-to-bottom.js";
import { type LogLine, filterLines, useLogs } from "../stores/logs.js";
import { useProjects } from "../stores/projects.js";
import "../styles/logs-view.css";
import { useChosenProject } from "../stores/chosen-project.js";

export function LogsView() {
	const { projects, project, selectApp } = useChosenProject();
	const { dir, lines, following, loading, error, filter, open, stop, setFilter } = useLogs();
	const shown = useMemo(() => filterLines(lines, filter), [lines, filter]);
	const box = useRef<HTMLDivElement>(null);
	const { pinned, jumpToNewest, onScroll } = useStickToBottom(box, shown.length);

	// Issue 14: opening the view (or another app in it) follows at once, as `deploy logs -f` would.
	const projectDir = project?.dir;
	useEffect(() => {
		const chosen = useProjects.getState().projects.find((p) => p.dir === projectDir);
		if (chosen) void useLogs.getState().open(chosen, true);
	}, [projectDir]);
	// A followed log stops when the person leaves the view: nothing streams unseen.
	useEffect(() => () => useLogs.getState().stop(), []);

	return (
		<>
			<header className="view-header">
				<h1>Logs</h1>
				{projects.length ? (
					<AppPicker
						projects={projects}
						dir={project?.dir ?? null}
						onChange={(next) => {
							stop();
							selectApp(next);
						}}
					/>
				) : null}
			</header>
			{project ? (
				<>
					<div className="toolbar">
						{following ? (
							<button type="button" onClick={stop}>
								Stop following
							</button>
						) : (
							<button type="button" className="primary" onClick={() => open(project, true)}>
								Follow
							</button>
						)}
						<button type="button" onClick={() => open(project, false)} disabled={loading}>
							Last 200 lines
						</button>
						<label className="field inline grow">
							<span>Search</span>
							<input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="words to match, e.g. GET 500" />
						</label>
					</div>
					<p className="muted" aria-live="polite">
						{dir === project.dir && !(loading && lines.length === 0) ? `${shown.length} of ${lines.length} lines${following ? (pinned ? ", following" : ", following (paused while you read)") : ""}` : "Connecting…"}
					</p>
					{error ? <ErrorBox error={error} title="Logs unavailable" /> : null}
					{dir === project.dir ? (
						<div className="log-view-frame">
							<div ref={box} className="log-view" role="log" aria-label="App output" onScroll={onScroll}>
								<ol className="log-lines">
									{shown.map((line) => (
										<AppLogLine key={line.id} line={line} />
									))}
								</ol>
							</div>
							{following && !pinned ? (
								<button type="button" className="jump-newest" onClick={jumpToNewest}>
									Jump to the newest line
								</button>
							) : null}
						</div>
					) : null}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}

/** One line: when (local time; the full ISO time on hover), which instance, what it said. */
function AppLogLine({ line }: { line: LogLine }) {
	return (
		<li className={line.stderr ? "line tone-error" : "line"}>
			{line.time ? (
				<time className="log-time" dateTime={line.time} title={line.time}>
					{clockTime(line.time)}
				</time>
			) : null}
			{line.instance ? <span className="log-instance">{line.instance}</span> : null}
			<AnsiText text={line.text} />
		</li>
	);
}

function clockTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const two = (n: number) => String(n).padStart(2, "0");
	return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}
