import * as z from "zod";
import { projectConfigSchema } from "../protocol/config/schema.js";

/** The identity editors and tools see; a URN because the project has no web address yet. */
export const SCHEMA_ID = "urn:deploy-platform:schema:deploy.yaml";

/**
 * deploy.yaml's JSON Schema (draft 2020-12) from the zod schema. "input" mode: a
 * key with a default is optional in the file, which is what an editor should say.
 */
export function deployJsonSchema(): Record<string, unknown> {
	const generated = z.toJSONSchema(projectConfigSchema, { target: "draft-2020-12", io: "input" });
	const { $schema, title, description, ...rest } = generated;
	return { $schema, $id: SCHEMA_ID, title, description, ...rest };
}

/** The file as committed at schemas/deploy.schema.json. */
export function renderJsonSchema(): string {
	return `${JSON.stringify(deployJsonSchema(), null, 2)}\n`;
}
