import * as z from "zod";

/** The longest commit message kept with a deployment: its first line, cut here (a listing is no place for an essay). */
export const COMMIT_MESSAGE_MAX = 200;

/**
 * Issue 14 (item 11): what the working tree was, besides its commit: the branch and the
 * commit's subject, so a listing tells deployments apart. Text of one line, without
 * control characters: the client cleans it (core/source/commit-info.ts), the agent
 * refuses anything else, and every front prints it.
 */
export const commitMessage = z
	.string()
	.min(1)
	.max(COMMIT_MESSAGE_MAX)
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	.regex(/^[^\x00-\x1f\x7f-\x9f]+$/, "must be one line of text without control characters");

/** A git branch name as `git check-ref-format` allows it, bounded; one line of text. */
export const branchName = z
	.string()
	.min(1)
	.max(255)
	// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
	.regex(/^[^\x00-\x20\x7f-\x9f~^:?*[\\]+$/, "is not a git branch name");

/** Issue 18: where a deployment's files came from. */
export const deploymentSource = z.enum(["upload", "push", "webhook"]);
export type DeploymentSource = z.infer<typeof deploymentSource>;

/** Fields of a deployment record that say what was deployed (absent from records made before issue 14). */
export const deploymentSourceFields = {
	/** The branch the working tree was on; absent outside git and on a detached HEAD. */
	branch: branchName.optional(),
	/** The first line of HEAD's commit message, cut at COMMIT_MESSAGE_MAX characters. */
	message: commitMessage.optional(),
	/** True when the deployed files differed from HEAD (the commit then ends in `-dirty`). */
	dirty: z.boolean().optional(),
	/** Issue 18: how the files came: uploaded by a client (`deploy`), or pushed with `git push`. Absent from older records: an upload. */
	source: deploymentSource.optional(),
};
