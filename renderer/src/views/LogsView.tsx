import { useEffect, useMemo, useRef } from "react";
import { AppPicker } from "../components/AppPicker.js";
import { Empty } from "../components/Empty.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { filterLines, useLogs } from "../stores/logs.js";
import { pickProject, useProjects } from "../stores/projects.js";
import { useUi } from "../stores/ui.js";

export function LogsView() {
	const { projects, load: loadProjects } = useProjects();
	const { appDir, selectApp } = useUi();
	const { dir, lines, following, loading, error, filter, open, stop, setFilter } = useLogs();
	const project = pickProject(projects, appDir);
	const shown = useMemo(() => filterLines(lines, filter), [lines, filter]);
	const end = useRef<HTMLDivElement>(null);

	useEffect(() => {
		void loadProjects();
	}, [loadProjects]);
	// A followed log stops when the person leaves the view: nothing streams unseen.
	useEffect(() => () => useLogs.getState().stop(), []);
	useEffect(() => {
		if (following && shown.length) end.current?.scrollIntoView({ block: "nearest" });
	}, [following, shown.length]);

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
						{dir === project.dir ? `${shown.length} of ${lines.length} lines${following ? ", following" : ""}` : "Choose Follow to stream this app's output."}
					</p>
					{error ? <ErrorBox error={error} title="Logs unavailable" /> : null}
					{dir === project.dir ? (
						<div className="log-view" role="log" aria-label="App output">
							<ol className="log-lines">
								{shown.map((line) => (
									<li key={line.id} className={line.stderr ? "line tone-error" : "line"}>
										{line.text}
									</li>
								))}
							</ol>
							<div ref={end} />
						</div>
					) : null}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}
