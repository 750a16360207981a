// vitest's default report, then one line CI reads: `N passed, N failed` (`, N skipped`
// when any were), with the names of the failures above it. A file that failed outside
// its tests (an import or a hook) and an error no test caught count as failures too, so
// the line never says 0 failed on a run that exits non-zero.
import type { SerializedError } from "vitest";
import { DefaultReporter, type TestModule, type TestRunEndReason } from "vitest/node";

export default class CountingReporter extends DefaultReporter {
	override onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
		super.onTestRunEnd(testModules, unhandledErrors, reason);
		let passed = 0;
		let skipped = 0;
		const failures: string[] = [];
		for (const module of testModules) {
			for (const test of module.children.allTests()) {
				const state = test.result().state;
				if (state === "passed") passed++;
				else if (state === "failed") failures.push(`${module.moduleId.replace(`${process.cwd()}/`, "")} > ${test.fullName}`);
				else skipped++;
			}
			if (module.errors().length > 0) failures.push(`${module.moduleId.replace(`${process.cwd()}/`, "")} (outside its tests: ${module.errors()[0]?.message ?? "failed"})`);
		}
		for (const error of unhandledErrors) failures.push(`unhandled error: ${error.message}`);
		const out = process.stdout;
		if (failures.length > 0) out.write(`\nFailed:\n${failures.map((name) => `  ${name}\n`).join("")}`);
		out.write(`\n${passed} passed, ${failures.length} failed${skipped > 0 ? `, ${skipped} skipped` : ""}\n`);
	}
}
