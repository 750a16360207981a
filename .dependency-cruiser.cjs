// The arrows of ../shared/DESIGN.md ("Which way the arrows go"), checked on every
// `npm run lint`: a wrong import fails the build instead of waiting for a review.
// Paths are relative to the repository root.

/** The fronts and the agent: what core must never reach. */
const FRONTS = "^(cli|electron|renderer|agents)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: "core-imports-no-front",
			comment: "core is the one library: it never imports the CLI, Electron, the renderer or the agent.",
			severity: "error",
			from: { path: "^core/" },
			to: { path: FRONTS },
		},
		{
			name: "core-imports-no-provider",
			comment: "providers implement interfaces core defines; core reaches them through those interfaces, handed in by the fronts.",
			severity: "error",
			from: { path: "^core/" },
			to: { path: "^providers/" },
		},
		{
			name: "agent-imports-only-protocol",
			comment: "the agent is bundled to one file that runs on servers: of the repo it takes core/protocol and nothing else.",
			severity: "error",
			from: { path: "^agents/" },
			to: { path: "^(cli|electron|renderer|providers)/|^core/(?!protocol/)" },
		},
		{
			name: "agent-rooms-import-no-daemon",
			comment:
				"issue 15: the daemon (agents/daemon/) wires the agent's rooms and the handlers (agents/handlers/) turn RPC calls into their functions; a room below them takes the parts it uses (agents/context/parts.ts), never the daemon or a handler.",
			severity: "error",
			from: { path: "^agents/", pathNot: "^agents/(daemon|handlers)/|^agents/main\\.ts$" },
			to: { path: "^agents/(daemon|handlers)/" },
		},
		{
			name: "agent-handlers-take-only-the-daemon-type",
			comment: "a handler gets the daemon's Agent with its call: it may name the type, but runs no code of the daemon (the daemon imports the handlers).",
			severity: "error",
			from: { path: "^agents/handlers/" },
			to: { path: "^agents/daemon/", dependencyTypesNot: ["type-only"] },
		},
		{
			name: "renderer-imports-only-types",
			comment: "the renderer runs in a browser sandbox: it imports types from core, never code, and nothing of the other rooms.",
			severity: "error",
			from: { path: "^renderer/" },
			to: { path: "^(core|agents|cli|electron|providers)/", dependencyTypesNot: ["type-only"] },
		},
		{
			name: "renderer-reaches-no-server-side",
			comment: "not even types from the agent, the CLI, Electron's main process or a provider.",
			severity: "error",
			from: { path: "^renderer/" },
			to: { path: "^(agents|cli|electron|providers)/" },
		},
		{
			name: "providers-use-no-front",
			comment: "a provider is used by the fronts; it never uses one, nor the agent's code.",
			severity: "error",
			from: { path: "^providers/" },
			to: { path: FRONTS },
		},
		{
			name: "no-runtime-cycle",
			comment: "a cycle of runtime imports makes load order matter; type-only imports are erased and do not count.",
			severity: "error",
			from: { path: "^(core|agents|cli|electron|providers|renderer)/" },
			to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
		},
	],
	options: {
		doNotFollow: { path: "node_modules" },
		exclude: { path: "^(node_modules|dist|test|scripts|examples)/" },
		// Type-only imports are seen (and told apart), so the renderer rule can allow exactly those.
		tsPreCompilationDeps: true,
		tsConfig: { fileName: "tsconfig.json" },
		enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] },
		reporterOptions: { text: { highlightFocused: true } },
	},
};
