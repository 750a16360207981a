// The renderer's build: the same files serve `deploy ui` (any browser) and the
// desktop app (electron-vite reuses this folder as its renderer root).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
	root,
	// Relative asset URLs: the build works from http://127.0.0.1:<port>/ and from file:// in Electron.
	base: "./",
	plugins: [react()],
	build: {
		outDir: fileURLToPath(new URL("../dist/renderer", import.meta.url)),
		emptyOutDir: true,
		// The strict CSP forbids inline scripts; modern Chromium needs no preload polyfill.
		modulePreload: { polyfill: false },
		assetsInlineLimit: 0,
		reportCompressedSize: false,
		chunkSizeWarningLimit: 1024,
	},
});
