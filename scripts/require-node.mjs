// `node scripts/require-node.mjs <range> <what>`: exits 1 with a clear message when this
// Node.js does not satisfy <range>. Used before packaging the desktop app, whose
// electron-builder needs a newer Node.js than the CLI, the UI and the tests.
import semver from "semver";

const [range, what = "this step"] = process.argv.slice(2);
if (!range || !semver.validRange(range)) {
	process.stderr.write("usage: node scripts/require-node.mjs <semver range> [what needs it]\n");
	process.exit(2);
}
if (!semver.satisfies(process.versions.node, range)) {
	process.stderr.write(`error ${what} needs Node.js ${range}; this is ${process.versions.node}.\nhint  Run it with a newer Node.js (nvm install 22, or your system's package). The CLI, the UI and the tests run on ${process.versions.node}.\n`);
	process.exit(1);
}
