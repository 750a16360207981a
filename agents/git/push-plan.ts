// Issue 18: what a push asks for, as data (pure, tested by equality): each ref update
// becomes a deploy of production, a deploy of a branch's preview, the removal of a
// deleted branch's preview, a refusal, or nothing (a tag).
import { branchName } from "../../core/protocol/source-info.js";
import { ZERO_COMMIT } from "../../core/protocol/git.js";
import { previewSpec } from "../../core/protocol/preview-spec.js";
import type { AppSpec } from "../../core/protocol/spec.js";
import type { RemoteSettings } from "./repository.js";

export interface RefUpdate {
	old: string;
	new: string;
	ref: string;
}

export type PushAction =
	| { kind: "deploy"; ref: string; branch: string; commit: string; spec: AppSpec; production: boolean }
	| { kind: "remove"; ref: string; branch: string; spec: AppSpec }
	| { kind: "refuse"; ref: string; message: string; hint: string }
	| { kind: "ignore"; ref: string; note: string };

const BRANCH_PREFIX = "refs/heads/";

export function planPush(settings: RemoteSettings, updates: readonly RefUpdate[]): PushAction[] {
	return updates.map((update): PushAction => {
		const { ref } = update;
		if (!ref.startsWith(BRANCH_PREFIX)) return { kind: "ignore", ref, note: `${ref} is kept, not deployed: only branches deploy` };
		const branch = ref.slice(BRANCH_PREFIX.length);
		if (!branchName.safeParse(branch).success) return { kind: "refuse", ref, message: `The branch name ${JSON.stringify(branch)} cannot name a deployment.`, hint: "Push a branch with a plain name." };
		const production = branch === settings.productionBranch;
		if (update.new === ZERO_COMMIT) {
			if (production) {
				return {
					kind: "refuse",
					ref,
					message: `${branch} is the production branch of ${settings.spec.name}: deleting it here would leave production without a branch.`,
					hint: "Production keeps running either way; push the branch again, or remove the app's deployments with `deploy rm`.",
				};
			}
			return { kind: "remove", ref, branch, spec: previewSpec(settings.spec, branch, settings.previewTtlSeconds) };
		}
		const spec = production ? settings.spec : previewSpec(settings.spec, branch, settings.previewTtlSeconds);
		return { kind: "deploy", ref, branch, commit: update.new, spec, production };
	});
}
