import type { PackageJson } from "./plan.js";

/** The part of @vercel/frameworks' entries that detection reads. */
export interface FrameworkDef {
	slug: string | null;
	detectors?: { every?: Detector[]; some?: Detector[] };
	supersedes?: string[];
	settings?: { outputDirectory?: { value?: string } };
}
interface Detector {
	path?: string;
	matchPackage?: string;
	matchContent?: string;
}

/** What a detector can look at: package.json's dependencies, which files exist and the text of small ones. */
export interface DetectionInput {
	pkg: PackageJson | null;
	files: readonly string[];
	contents: Readonly<Record<string, string>>;
}

/**
 * Loads @vercel/frameworks only when detection runs: its list (with descriptions and
 * logos) is large, and the daemon should not hold it while idle.
 */
export async function loadFrameworks(): Promise<FrameworkDef[]> {
	const mod = (await import("@vercel/frameworks")) as unknown as { frameworks?: FrameworkDef[]; default?: { frameworks: FrameworkDef[] } };
	return mod.frameworks ?? mod.default?.frameworks ?? [];
}

/** Every path any detector asks about: the files whose existence and content are read. */
export function detectorPaths(defs: readonly FrameworkDef[]): string[] {
	const paths = new Set<string>();
	for (const def of defs) for (const d of [...(def.detectors?.every ?? []), ...(def.detectors?.some ?? [])]) if (d.path) paths.add(d.path);
	return [...paths].sort();
}

/**
 * The framework of a project, as Vercel's own detector decides it: the first entry
 * (the list is in priority order) whose detectors all (`every`) and at least one
 * (`some`) match, after dropping those a matched entry supersedes (Remix supersedes
 * Vite). `considered` limits it to frameworks we know how to run. Pure.
 */
export function matchFramework(defs: readonly FrameworkDef[], input: DetectionInput, considered: (def: FrameworkDef) => boolean): string | null {
	const matched = defs.filter((def) => def.slug && def.detectors && considered(def) && matches(def, input));
	const superseded = new Set(matched.flatMap((def) => def.supersedes ?? []));
	return matched.find((def) => !superseded.has(def.slug!))?.slug ?? null;
}

function matches(def: FrameworkDef, input: DetectionInput): boolean {
	const { every = [], some = [] } = def.detectors ?? {};
	if (every.length === 0 && some.length === 0) return false;
	return every.every((d) => detectorMatches(d, input)) && (some.length === 0 || some.some((d) => detectorMatches(d, input)));
}

function detectorMatches(detector: Detector, { pkg, files, contents }: DetectionInput): boolean {
	if (detector.matchPackage) {
		const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };
		if (!Object.hasOwn(deps, detector.matchPackage)) return false;
	}
	if (detector.path) {
		if (!files.includes(detector.path)) return false;
		if (detector.matchContent && !safeRegExp(detector.matchContent)?.test(contents[detector.path] ?? "")) return false;
	}
	return true;
}

function safeRegExp(source: string): RegExp | null {
	try {
		return new RegExp(source, "m");
	} catch {
		return null;
	}
}

/** Whether a framework is detected by an npm package: the JS ones, which this agent can build. */
export function usesPackage(def: FrameworkDef): boolean {
	return [...(def.detectors?.every ?? []), ...(def.detectors?.some ?? [])].some((d) => d.matchPackage !== undefined || d.matchContent?.includes("ependencies") === true);
}
