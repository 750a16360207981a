import { type FormEvent, useState } from "react";
import type { InstanceInfo, ProjectInfo } from "../api/bridge.js";
import { ErrorBox } from "../components/ErrorBox.js";
import { RoleButton } from "../components/RoleButton.js";
import { useWhyNot } from "../stores/access.js";
import { useInstances } from "../stores/instances.js";

/**
 * `deploy scale` in the Instances view: how many instances each process runs. A static
 * site the proxy serves has no process to scale. Disabled with the reason for a role
 * that may not scale (issue 16).
 */
export function ScaleForm({ project, instances }: { project: ProjectInfo; instances: InstanceInfo[] }) {
	const { byDir, scale } = useInstances();
	const reason = useWhyNot(project)("app.scale");
	const running: Record<string, number> = {};
	for (const instance of instances) if (!instance.served) running[instance.process] = (running[instance.process] ?? 0) + 1;
	const [wanted, setWanted] = useState<Record<string, number>>({});
	const entry = byDir[project.dir];
	const names = Object.keys(running).sort();
	if (names.length === 0) return null;

	const submit = (event: FormEvent) => {
		event.preventDefault();
		void scale(project, Object.fromEntries(names.map((name) => [name, wanted[name] ?? running[name]!])));
	};
	return (
		<section className="card" aria-labelledby="scale-title">
			<h2 id="scale-title">Scale</h2>
			<form className="form-grid" onSubmit={submit} aria-label="Scale">
				{names.map((name) => (
					<label key={name} className="field">
						<span>{name} instances</span>
						<input type="number" min={0} max={64} value={wanted[name] ?? running[name]} onChange={(event) => setWanted({ ...wanted, [name]: Number(event.target.value) })} />
					</label>
				))}
				<div className="actions wide">
					<RoleButton type="submit" reason={reason} disabled={entry?.scaling}>
						{entry?.scaling ? "Scaling…" : "Scale"}
					</RoleButton>
				</div>
			</form>
			{entry?.scaleError ? <ErrorBox error={entry.scaleError} title="Not scaled" /> : null}
		</section>
	);
}
