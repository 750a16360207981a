import { plainSiteDir } from "../../core/protocol/plain-site.js";
import type { PackageJson } from "./plan.js";

/** How we run a framework's output: a command (a Node server) or a folder served as files. */
export type RunConvention = { kind: "server"; command: string | null } | { kind: "static"; dir: string; spa: boolean };

export interface ConventionInput {
	pkg: PackageJson | null;
	files: readonly string[];
	contents: Readonly<Record<string, string>>;
}

/** Config files our conventions read (besides the detectors' own paths). */
export const CONVENTION_FILES = ["next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"];

// A start script that runs the framework's dev or preview server is not a production server.
const DEV_SERVERS = /\b(vite|react-scripts|vue-cli-service|ng|gatsby|parcel|docusaurus|eleventy|astro|preact)\b/;

/**
 * OUR conventions, per framework, for running it on a server of our own
 * (@vercel/frameworks describes Vercel's runtime, not this one). Null `command`
 * means: fall back to the start script, main, server.js or index.js. Pure.
 */
export function conventionFor(slug: string | null, input: ConventionInput, outputDirectory?: string): RunConvention {
	const { pkg } = input;
	// Issue 14: a folder of plain files (no package.json) with a home page is a static site as it is.
	const site = pkg ? null : plainSiteDir(input.files);
	if (site !== null) return { kind: "static", dir: site, spa: false };
	const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
	const has = (name: string) => Object.hasOwn(deps, name);
	const start = pkg?.scripts?.start;
	const ownStart = start && !DEV_SERVERS.test(start) ? start : null;
	switch (slug) {
		case "nextjs": {
			const standalone = CONVENTION_FILES.some((f) => /output\s*:\s*["']standalone["']/.test(input.contents[f] ?? ""));
			return { kind: "server", command: standalone ? "node .next/standalone/server.js" : (start ?? "next start") };
		}
		case "nuxtjs":
			return { kind: "server", command: "node .output/server/index.mjs" };
		case "sveltekit":
		case "sveltekit-1":
			return has("@sveltejs/adapter-static") ? { kind: "static", dir: "build", spa: false } : { kind: "server", command: "node build" };
		case "remix":
			return { kind: "server", command: start ?? "remix-serve ./build/index.js" };
		case "react-router":
			return { kind: "server", command: start ?? "react-router-serve ./build/server/index.js" };
		case "astro":
			return has("@astrojs/node") ? { kind: "server", command: "node ./dist/server/entry.mjs" } : { kind: "static", dir: "dist", spa: false };
		case "nestjs":
			return { kind: "server", command: pkg?.scripts?.["start:prod"] ?? "node dist/main" };
		case "vite":
			return ownStart ? { kind: "server", command: ownStart } : { kind: "static", dir: "dist", spa: true };
		case "create-react-app":
			return ownStart ? { kind: "server", command: ownStart } : { kind: "static", dir: "build", spa: true };
		case null:
		case "node":
		case "express":
		case "fastify":
		case "koa":
		case "hono":
		case "h3":
		case "nitro":
			return { kind: "server", command: null };
		default:
			// Another JS framework: a static site generator when Vercel names an output folder.
			if (ownStart || !outputDirectory || outputDirectory === "N/A") return { kind: "server", command: ownStart };
			return { kind: "static", dir: outputDirectory, spa: slug === "vue" };
	}
}

/** The slugs we have a convention for beyond "static output folder". */
export const KNOWN_SLUGS = new Set(["nextjs", "nuxtjs", "sveltekit", "sveltekit-1", "remix", "react-router", "astro", "nestjs", "vite", "create-react-app", "node", "express", "fastify", "koa", "hono", "h3", "nitro"]);
