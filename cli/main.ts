// The `deploy` entry point. A bare `deploy --version` answers before anything else
// loads (not even commander): scripts and shells call it often, and it should cost
// about what starting Node costs. Everything else goes through the command line.
import { version } from "./version.js";

const [flag, ...rest] = process.argv.slice(2);
if ((flag === "--version" || flag === "-v") && rest.length === 0) {
	process.stdout.write(`${version}\n`);
} else {
	await import("./program.js");
}
