// Builds the three artifacts: the CLI (code-split so each command loads lazily, npm
// packages bundled but native addons left external), the agent (ONE plain-JS file, everything inlined, no
// native modules, so it runs on any server with Node 20+), and the renderer (the
// React UI that `deploy ui` and the desktop app serve) into dist/renderer.
import { build } from "esbuild";
import { mkdir, readFile, rename, rm } from "node:fs/promises";

// Built into a fresh folder and swapped in at the end: a test run that is using dist/
// while someone else builds never sees it half-written or missing.
const out = `dist.${process.pid}.tmp`;
await rm(out, { recursive: true, force: true });
await mkdir(out);
const { version } = JSON.parse(await readFile("package.json", "utf8"));

const common = { bundle: true, platform: "node", target: "node20", format: "esm", sourcemap: false, logLevel: "warning" };

await Promise.all([
	build({
		...common,
		entryPoints: { agent: "agents/main.ts" },
		outExtension: { ".js": ".mjs" },
		outdir: out,
		// Some bundled CommonJS dependencies call require() for Node built-ins.
		banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
		// Whitespace and syntax only (names stay, so stack traces in agent.log still read):
		// V8 keeps the whole source in the daemon's heap, and a bridge or `detect` parses it on every start.
		minifyWhitespace: true,
		minifySyntax: true,
	}),
	build({
		...common,
		// ssh-worker: the thread that opens a command's early SSH session (providers/ssh/worker-session.ts).
		entryPoints: { main: "cli/main.ts", "ssh-worker": "providers/ssh/session-worker.ts" },
		outdir: `${out}/cli`,
		splitting: true,
		// npm packages are bundled too: loading a few chunks is far faster than
		// resolving hundreds of module files (kysely alone took 170 ms). Native
		// addons, Electron and ssh2 (its bundled WebAssembly looks for __dirname) stay outside.
		external: ["better-sqlite3", "node-pty", "cpu-features", "electron", "ssh2"],
		banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
		chunkNames: "chunks/[name]-[hash]",
		// As for the agent: V8 reads and pre-parses every byte of each chunk a command loads.
		minifyWhitespace: true,
		minifySyntax: true,
		define: { "process.env.DEPLOY_CLI_VERSION": JSON.stringify(version) },
	}),
]);

// Vite's JS API with renderer/vite.config.ts: the same config electron-vite reuses.
const { build: buildRenderer } = await import("vite");
await buildRenderer({ configFile: "renderer/vite.config.ts", logLevel: "warn", build: { outDir: `${process.cwd()}/${out}/renderer` } });

// Two renames, not one: rename() cannot replace a non-empty folder.
const old = `dist.${process.pid}.old`;
await rename("dist", old).catch((error) => {
	if (error.code !== "ENOENT") throw error;
});
await rename(out, "dist");
await rm(old, { recursive: true, force: true });
