// A stand-in for dist/agent.mjs while the real agent is being written, and for
// "a different version" in upgrade tests: answers `hello` over stdio like the bridge.
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AgentBundle } from "../../core/provider.js";

const source = `
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

if (process.argv[2] !== "connect") process.exit(2);
const agentVersion = createHash("sha256").update(readFileSync(fileURLToPath(import.meta.url))).digest("hex");
const reply = (message) => process.stdout.write(JSON.stringify(message) + "\\n");
createInterface({ input: process.stdin }).on("line", (line) => {
	const { id, method } = JSON.parse(line);
	if (method === "hello") {
		reply({ id, result: { agentVersion, protocol: 1, home: process.env.DEPLOY_AGENT_HOME, node: process.versions.node, setup: null } });
	} else {
		reply({ id, error: { code: "UNKNOWN_METHOD", message: "The stand-in agent only answers hello." } });
	}
});
`;

/** Writes a stand-in bundle; a different `variant` is a different version (another sha256). */
export async function writeStandInAgent(dir: string, variant = "1"): Promise<AgentBundle> {
	const content = `${source}// variant ${variant}\n`;
	const path = join(dir, `stand-in-agent-${variant}.mjs`);
	await writeFile(path, content);
	return { path, sha256: createHash("sha256").update(content).digest("hex") };
}
