// The `deploy` entry point. A bare `deploy --version` answers before anything else
// loads (not even commander): scripts and shells call it often, and it should cost
// about what starting Node costs. A command that will talk to a server starts its
// SSH session first (early-connect.ts); then the command line loads.
import { version } from "./version.js";

const argv = process.argv.slice(2);
const [flag, ...rest] = argv;
if ((flag === "--version" || flag === "-v") && rest.length === 0) {
	process.stdout.write(`${version}\n`);
} else {
	// A failed guess is no failure: the command connects as usual.
	await (await import("./early-connect.js")).connectEarly(argv, new URL("./ssh-worker.js", import.meta.url)).catch(() => undefined);
	await import("./program.js");
}
