import { delimiter } from "node:path";
import { findOnPath } from "./process.js";

/**
 * Where a proxy's binary is: the one the agent installed from its release tarball
 * (`<home>/bin`, issue 12) first, else the one on PATH (the distribution's package, or
 * one that was there before us).
 */
export function findProxyBinary(name: "caddy" | "traefik", binDir: string | undefined): Promise<string | undefined> {
	const path = process.env.PATH ?? "";
	return findOnPath(name, binDir ? `${binDir}${delimiter}${path}` : path);
}
