import type { ProjectInfo } from "../api/bridge.js";

/** Which app a view shows; a labelled native select, so it works with the keyboard. */
export function AppPicker({ projects, dir, onChange }: { projects: ProjectInfo[]; dir: string | null; onChange: (dir: string) => void }) {
	return (
		<label className="field inline">
			<span>App</span>
			<select value={dir ?? ""} onChange={(event) => onChange(event.target.value)}>
				{projects.map((project) => (
					<option key={project.dir} value={project.dir}>
						{/* The server's dashboard names an app by itself: no folder to tell two apart. */}
						{project.dir === project.name ? project.name : `${project.name} (${project.dir})`}
					</option>
				))}
			</select>
		</label>
	);
}
