// The test runner (issue 15, item 6). Two projects:
// - "unit": tests that start nothing outside their own process, several files at once;
// - "e2e": the user flows (test/e2e, test/ui, test/load) and every test that starts a
//   real part (sshd, Caddy, Pebble, Chromium, the agent daemon) or binds a port. They
//   run one file at a time after the unit tests, so no two of them fight over ports and
//   the two cores. Which files start real parts is read from the files themselves
//   (test/projects.ts), so a new test lands in the right project without a list to keep.
import { defineConfig } from "vitest/config";
import { e2eFiles } from "./test/projects.js";

const heavy = e2eFiles();

export default defineConfig({
	test: {
		// Tests chdir, spawn process groups and send signals: child processes, not threads.
		pool: "forks",
		// node:test had no timeouts; a fresh-server flow takes minutes on two shared cores.
		testTimeout: 600_000,
		hookTimeout: 600_000,
		teardownTimeout: 60_000,
		reporters: ["./test/reporter.ts"],
		projects: [
			{
				extends: true,
				test: { name: "unit", include: ["test/**/*.test.ts"], exclude: heavy, sequence: { groupOrder: 0 } },
			},
			{
				extends: true,
				test: { name: "e2e", include: heavy, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
			},
		],
	},
});
