// Writes the artifacts generated from deploy.yaml's one schema (core/protocol/config/schema.ts):
// the JSON Schema for editors and the config reference. test/core/config/schema.test.ts
// fails when the committed files differ from what this writes, so run it after a change.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderConfigReference } from "../core/config/docs.js";
import { renderJsonSchema } from "../core/config/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const generatedFiles: Record<string, () => string> = {
	"schemas/deploy.schema.json": renderJsonSchema,
	"docs/config.md": renderConfigReference,
};

for (const [path, render] of Object.entries(generatedFiles)) {
	const target = join(root, path);
	await mkdir(dirname(target), { recursive: true });
	await writeFile(target, render());
	console.log(`wrote ${path}`);
}
