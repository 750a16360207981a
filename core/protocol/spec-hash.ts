// The identity of an app spec, computed the same way by the client and the agent, so a
// redeploy whose spec did not change can name it (`deploy`'s `specRef`) instead of
// sending it. Not re-exported from index.ts: it needs node:crypto, and the renderer
// imports the protocol's index.
import { createHash } from "node:crypto";
import { type AppSpec, appSpec } from "./spec.js";

/**
 * sha256 of the spec as the agent stores it (parsed by the wire schema, defaults
 * filled in), serialized with sorted keys so neither side's key order matters.
 */
export function appSpecHash(spec: AppSpec): string {
	return createHash("sha256").update(canonicalJson(appSpec.parse(spec))).digest("hex");
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
	if (value && typeof value === "object") {
		const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
		entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
	}
	return JSON.stringify(value) ?? "null";
}
