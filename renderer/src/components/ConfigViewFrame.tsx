import { type ReactNode, useEffect } from "react";
import type { ProjectInfo } from "../api/bridge.js";
import { type ProjectConfigInfo, useConfig } from "../stores/config.js";
import { AppPicker } from "./AppPicker.js";
import { Empty } from "./Empty.js";
import { ErrorBox } from "./ErrorBox.js";
import { useChosenProject } from "../stores/chosen-project.js";

/**
 * The frame the Env and Domains views share: the app picker, the app's resolved
 * config loaded through projects.config, and the note that editing comes later.
 */
export function ConfigViewFrame({ title, subject, editingIn, children }: { title: string; subject: string; editingIn: string; children: (config: ProjectConfigInfo, project: ProjectInfo) => ReactNode }) {
	const { projects, project, selectApp } = useChosenProject();
	const { configs, load } = useConfig();
	const name = project?.name;
	useEffect(() => {
		if (name) void load(name);
	}, [load, name]);
	const entry = name ? configs[name] : undefined;

	return (
		<>
			<header className="view-header">
				<h1>{title}</h1>
				{projects.length ? <AppPicker projects={projects} dir={project?.dir ?? null} onChange={selectApp} /> : null}
			</header>
			{project ? (
				<>
					<p className="note">
						Read-only for now: this is what <code>deploy.yaml</code> in {project.dir} says. Editing {subject} here comes with a later version ({editingIn}
						); until then, edit the file and deploy.
					</p>
					{entry?.error ? <ErrorBox error={entry.error} title={`${title} unavailable`} /> : null}
					{entry?.config ? children(entry.config, project) : null}
				</>
			) : (
				<Empty>Link an app first (Apps).</Empty>
			)}
		</>
	);
}
