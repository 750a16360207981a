import { readFile } from "node:fs/promises";
import ignore, { type Ignore } from "ignore";

/** The rules of one .gitignore (or .git/info/exclude), anchored at `base`. */
interface RuleSet {
	/** Repository-relative folder with a trailing slash ("" at the root). */
	base: string;
	rules: Ignore;
}

/**
 * The gitignore rules in force in one folder: every rule file from the root down.
 * Git's precedence: a deeper .gitignore beats a shallower one, .gitignore beats
 * info/exclude, and within a file the last matching line wins; the `ignore`
 * package applies one file, this stacks them.
 */
export class IgnoreStack {
	private constructor(private readonly sets: readonly RuleSet[]) {}

	static empty(): IgnoreStack {
		return new IgnoreStack([]);
	}

	/** The stack plus the rules in `file` (anchored at `base`), or the same stack when there is no such file. */
	async with(file: string, base: string): Promise<IgnoreStack> {
		const text = await readRules(file);
		// A file of comments only (git's default info/exclude) would still cost a test per path of the tree.
		if (text === null || !HAS_RULE.test(text)) return this;
		return new IgnoreStack([...this.sets, { base, rules: ignore().add(text) }]);
	}

	/** Whether the repository-relative `path` is ignored; folders are tested as `path/` so `dist/` rules match. */
	ignores(path: string, isDirectory: boolean): boolean {
		let ignored = false;
		for (const { base, rules } of this.sets) {
			if (!path.startsWith(base)) continue;
			const relative = path.slice(base.length) + (isDirectory ? "/" : "");
			const result = rules.test(relative);
			if (result.ignored) ignored = true;
			else if (result.unignored) ignored = false;
		}
		return ignored;
	}
}

/** A line that is neither blank nor a comment: a rule (leading blanks belong to a pattern in git). */
const HAS_RULE = /^(?!#)[^\S\n]*\S/m;

async function readRules(file: string): Promise<string | null> {
	try {
		return await readFile(file, "utf8");
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === "ENOENT" || code === "ENOTDIR") return null;
		throw error;
	}
}
