import { stringify } from "yaml";
import type * as z from "zod";
import { processConfig, projectConfigSchema } from "../protocol/config/schema.js";

/** What `deploy init` knows about the project; everything but the name is optional. */
export type DeployYamlInput = z.input<typeof projectConfigSchema> & { app: string };

const HEADER = [
	"# deploy.yaml: how Deploy Platform builds and runs the app in this folder.",
	"# Every key but app is optional; a commented key shows an example.",
	"# Reference: docs/config.md in Deploy Platform.",
];

/**
 * A readable, commented deploy.yaml for `deploy init`: each top-level key with its
 * description from the schema, set keys written out, the others as commented examples.
 * `note`: comment lines added under the header (how the values were chosen).
 */
export function renderDeployYaml(config: DeployYamlInput, note: readonly string[] = []): string {
	const lines = [...HEADER, ...note];
	const shape = projectConfigSchema.shape;
	for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
		const meta = shape[key].meta() ?? {};
		lines.push("");
		if (typeof meta.description === "string") lines.push(...wrap(meta.description).map((line) => `# ${line}`));
		const value = chosen(key, config);
		if (isSet(value)) {
			lines.push(...yamlLines({ [key]: value }));
		} else {
			const example = Array.isArray(meta.examples) ? meta.examples[0] : undefined;
			if (example !== undefined) lines.push(...yamlLines({ [key]: example }).map((line) => `# ${line}`));
		}
	}
	return `${lines.join("\n")}\n`;
}

function isSet(value: unknown): boolean {
	if (value === undefined || value === null) return false;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === "object") return Object.keys(value).length > 0;
	return true;
}

function yamlLines(value: object): string[] {
	return stringify(value, { lineWidth: 0 }).trimEnd().split("\n");
}

type ProcessesInput = DeployYamlInput["processes"];

/** Drops values equal to their defaults, so the file holds only what was chosen. */
function withoutDefaults(processes: ProcessesInput): ProcessesInput {
	if (!processes) return undefined;
	const defaults = processConfig.parse({});
	const result: NonNullable<ProcessesInput> = {};
	for (const [name, process] of Object.entries(processes)) {
		const { healthcheck, instances, command, drainSeconds } = process;
		const check = {
			...(healthcheck?.path ? { path: healthcheck.path } : {}),
			...(healthcheck?.timeoutSeconds !== undefined && healthcheck.timeoutSeconds !== defaults.healthcheck.timeoutSeconds ? { timeoutSeconds: healthcheck.timeoutSeconds } : {}),
			...(healthcheck?.intervalMs !== undefined && healthcheck.intervalMs !== defaults.healthcheck.intervalMs ? { intervalMs: healthcheck.intervalMs } : {}),
			...(healthcheck?.expectedStatus !== undefined ? { expectedStatus: healthcheck.expectedStatus } : {}),
		};
		result[name] = {
			...(command ? { command } : {}),
			...(instances !== undefined && instances !== defaults.instances ? { instances } : {}),
			...(Object.keys(check).length > 0 ? { healthcheck: check } : {}),
			...(drainSeconds !== undefined && drainSeconds !== defaults.drainSeconds ? { drainSeconds } : {}),
		};
	}
	return result;
}

/** The value written for a key: what was chosen, without what equals the defaults, so `deploy init` stays short. */
function chosen(key: keyof typeof projectConfigSchema.shape, config: DeployYamlInput): unknown {
	switch (key) {
		case "processes":
			return withoutDefaults(config.processes);
		case "releases":
			return releasesIfChosen(config.releases);
		case "buildTimeoutSeconds":
			return config.buildTimeoutSeconds !== projectConfigSchema.shape.buildTimeoutSeconds.parse(undefined) ? config.buildTimeoutSeconds : undefined;
		default:
			return config[key];
	}
}

/** `releases` only when it differs from the default, so `deploy init` stays short. */
function releasesIfChosen(releases: DeployYamlInput["releases"]): DeployYamlInput["releases"] {
	const keep = releases?.keep;
	return keep !== undefined && keep !== projectConfigSchema.shape.releases.parse(undefined).keep ? { keep } : undefined;
}

function wrap(text: string, width = 86): string[] {
	const lines: string[] = [];
	let line = "";
	for (const word of text.split(/\s+/)) {
		if (line && line.length + word.length + 1 > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}
	if (line) lines.push(line);
	return lines;
}
