import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Finds the renderer build (dist/renderer, made by `npm run build`) from the running
 * code's folder upwards: works from dist/cli and from the sources under tsx.
 * DEPLOY_RENDERER_DIR overrides it. Null when it has not been built.
 */
export function rendererDir(): string | null {
	const override = process.env.DEPLOY_RENDERER_DIR;
	if (override) return override;
	for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
		const candidate = join(dir, "dist", "renderer");
		if (existsSync(join(candidate, "index.html"))) return candidate;
		if (dirname(dir) === dir) return null;
	}
}
