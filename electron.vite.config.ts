// The desktop build: main and preload from electron/, the renderer from renderer/
// (the same React app `deploy ui` serves). Output under dist/electron/.
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

export default defineConfig({
	main: {
		build: {
			outDir: "dist/electron/main",
			rollupOptions: { input: { index: resolve("electron/main.ts") } },
		},
	},
	preload: {
		build: {
			outDir: "dist/electron/preload",
			// A sandboxed preload cannot require() packages: zod (the allow-list) is bundled in.
			externalizeDeps: false,
			rollupOptions: {
				input: { index: resolve("electron/preload.ts") },
				output: { format: "cjs", entryFileNames: "[name].cjs" },
			},
		},
	},
	renderer: {
		root: "renderer",
		base: "./",
		plugins: [react()],
		build: {
			outDir: "dist/electron/renderer",
			modulePreload: { polyfill: false },
			assetsInlineLimit: 0,
			rollupOptions: { input: resolve("renderer/index.html") },
		},
	},
});
