// Issue 15, item 7: the arrows of the design are checked by dependency-cruiser on every
// `npm run lint` (.dependency-cruiser.cjs). `npm run lint` passing says the repository
// keeps them; this says the rules have teeth: a small tree with one wrong import per
// rule, cruised with the project's own configuration, breaks each rule once, and the
// imports the design allows break none.
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, test } from "vitest";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Each file of the tree, and what it imports. */
const tree: Record<string, string> = {
	"tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, verbatimModuleSyntax: true } }),
	// Allowed: core's protocol for the agent, core for the CLI and providers, a type for the renderer.
	"core/protocol/wire.ts": "export type Wire = { id: string };\nexport const VERSION = 1;\n",
	"core/api.ts": 'import { VERSION } from "./protocol/wire.js";\nexport const api = { VERSION };\n',
	"providers/ssh.ts": 'import { api } from "../core/api.js";\nexport const ssh = api;\n',
	"cli/main.ts": 'import { api } from "../core/api.js";\nimport { ssh } from "../providers/ssh.js";\nexport const main = [api, ssh];\n',
	"agents/daemon.ts": 'import { VERSION } from "../core/protocol/wire.js";\nexport const daemon = VERSION;\n',
	"renderer/view.ts": 'import type { Wire } from "../core/protocol/wire.js";\nexport const view = (w: Wire) => w.id;\n',
	// The agent's layers: the daemon wires, a handler names the daemon's type, a room takes only the parts it uses.
	"agents/context/parts.ts": "export interface HasHome { readonly home: string }\n",
	"agents/deploy/go-live.ts": 'import type { HasHome } from "../context/parts.js";\nexport const goLive = (agent: HasHome) => agent.home;\n',
	"agents/daemon/agent.ts": 'export class Agent { readonly home = "/srv" }\n',
	"agents/handlers/deploy.ts": 'import type { Agent } from "../daemon/agent.js";\nimport { goLive } from "../deploy/go-live.js";\nexport const deploy = (agent: Agent) => goLive(agent);\n',
	"agents/daemon/daemon.ts": 'import { Agent } from "./agent.js";\nimport { deploy } from "../handlers/deploy.js";\nexport const run = () => deploy(new Agent());\n',
	// One wrong arrow per rule.
	"core/uses-front.ts": 'import { main } from "../cli/main.js";\nexport const wrong = main;\n',
	"core/uses-provider.ts": 'import { ssh } from "../providers/ssh.js";\nexport const wrong = ssh;\n',
	"agents/uses-core.ts": 'import { api } from "../core/api.js";\nexport const wrong = api;\n',
	"renderer/uses-code.ts": 'import { VERSION } from "../core/protocol/wire.js";\nexport const wrong = VERSION;\n',
	"renderer/uses-agent-type.ts": 'import type { daemon } from "../agents/daemon.js";\nexport type Wrong = typeof daemon;\n',
	"providers/uses-front.ts": 'import { main } from "../cli/main.js";\nexport const wrong = main;\n',
	"agents/deploy/uses-daemon.ts": 'import type { Agent } from "../daemon/agent.js";\nexport const wrong = (agent: Agent) => agent.home;\n',
	"agents/proxy/uses-handler.ts": 'import { deploy } from "../handlers/deploy.js";\nexport const wrong = deploy;\n',
	"agents/handlers/runs-daemon.ts": 'import { run } from "../daemon/daemon.js";\nexport const wrong = run;\n',
	"core/cycle-a.ts": 'import { b } from "./cycle-b.js";\nexport const a = () => b;\n',
	"core/cycle-b.ts": 'import { a } from "./cycle-a.js";\nexport const b = () => a;\n',
	// A cycle through a type-only import is erased at run time: not a cycle.
	"core/types-a.ts": 'import type { B } from "./types-b.js";\nexport type A = { b?: B };\nexport const made = 1;\n',
	"core/types-b.ts": 'import { made } from "./types-a.js";\nexport type B = { made: typeof made };\n',
};

let dir: string;
let violations: { rule: string; from: string; to: string }[];

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), "deploy-import-rules-"));
	for (const [path, text] of Object.entries(tree)) {
		await mkdir(dirname(join(dir, path)), { recursive: true });
		await writeFile(join(dir, path), text);
	}
	const run = await execa(join(root, "node_modules", ".bin", "depcruise"), ["--config", join(root, ".dependency-cruiser.cjs"), "--output-type", "json", "core", "agents", "cli", "providers", "renderer"], { cwd: dir, reject: false });
	const report = JSON.parse(run.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
	violations = report.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
});

afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

test("each rule of the design is broken once by the import made to break it, and only by that", () => {
	const byRule = (name: string) => violations.filter((v) => v.rule === name).map((v) => `${v.from} -> ${v.to}`);
	assert.deepEqual(byRule("core-imports-no-front"), ["core/uses-front.ts -> cli/main.ts"]);
	assert.deepEqual(byRule("core-imports-no-provider"), ["core/uses-provider.ts -> providers/ssh.ts"]);
	assert.deepEqual(byRule("agent-imports-only-protocol"), ["agents/uses-core.ts -> core/api.ts"]);
	assert.deepEqual(byRule("renderer-imports-only-types"), ["renderer/uses-code.ts -> core/protocol/wire.ts"]);
	assert.deepEqual(byRule("renderer-reaches-no-server-side"), ["renderer/uses-agent-type.ts -> agents/daemon.ts"]);
	assert.deepEqual(byRule("providers-use-no-front"), ["providers/uses-front.ts -> cli/main.ts"]);
	// Issue 15, item 3: even a type of the daemon is out of a room's reach; a handler may name it, never run its code.
	assert.deepEqual(byRule("agent-rooms-import-no-daemon"), ["agents/deploy/uses-daemon.ts -> agents/daemon/agent.ts", "agents/proxy/uses-handler.ts -> agents/handlers/deploy.ts"]);
	assert.deepEqual(byRule("agent-handlers-take-only-the-daemon-type"), ["agents/handlers/runs-daemon.ts -> agents/daemon/daemon.ts"]);
	// A cycle is reported once, at the module the cruise met first.
	const cycles = byRule("no-runtime-cycle");
	assert.equal(cycles.length, 1, cycles.join("\n"));
	assert.match(cycles[0]!, /^core\/cycle-(a\.ts -> core\/cycle-b|b\.ts -> core\/cycle-a)\.ts$/);
});

test("the arrows the design allows break nothing: no other violation", () => {
	const made = new Set(["core/uses-front.ts", "core/uses-provider.ts", "agents/uses-core.ts", "renderer/uses-code.ts", "renderer/uses-agent-type.ts", "providers/uses-front.ts", "agents/deploy/uses-daemon.ts", "agents/proxy/uses-handler.ts", "agents/handlers/runs-daemon.ts", "core/cycle-a.ts", "core/cycle-b.ts"]);
	assert.deepEqual(
		violations.filter((v) => !made.has(v.from)),
		[],
	);
});
