// What the Apps card and the Overview both show of an app: its last failure in a line,
// and the Deploy button (which opens Deployments to watch it).
import type { DeploymentRecord, ProjectInfo } from "../api/bridge.js";
import { servedByServer } from "../api/server-mode.js";
import { useWhyNot } from "../stores/access.js";
import { useDeployments } from "../stores/deployments.js";
import { shortReason } from "../stores/overview-facts.js";
import { useUi } from "../stores/ui.js";
import { RoleButton } from "./RoleButton.js";

export function LastFailure({ failure }: { failure: DeploymentRecord | null }) {
	if (!failure?.error) return null;
	return (
		<p className="failure-line" data-testid="last-failure">
			Last deploy {failure.status}: <code>{failure.error.code}</code> {shortReason(failure.error.message)}
		</p>
	);
}

export function DeployButton({ project }: { project: ProjectInfo }) {
	const go = useUi((state) => state.go);
	const { operations, deploy } = useDeployments();
	const reason = useWhyNot(project)("app.deploy");
	// Issue 17, item 4: the server's dashboard has no source folder to deploy from (the CLI, the desktop or a push do).
	if (servedByServer()) return null;
	return (
		<RoleButton
			type="button"
			className="primary"
			reason={reason}
			disabled={operations[project.dir]?.running}
			onClick={() => {
				void deploy(project);
				go("deployments", project.dir);
			}}
		>
			Deploy
		</RoleButton>
	);
}
