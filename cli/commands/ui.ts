import { runCommand } from "../output/run.js";

interface UiOptions {
	port?: number;
	/** commander's `--no-open` makes this false. */
	open: boolean;
	json?: boolean;
}

/**
 * `deploy ui`: the desktop's renderer in any browser, with the api on 127.0.0.1
 * behind a fresh token, until Ctrl-C. The token itself is never printed nor put on a
 * command line: the printed URL and the browser's launch page each carry a one-time
 * code that the page trades for it (core/transport/launch-codes.ts).
 */
export async function uiCommand(options: UiOptions): Promise<void> {
	await runCommand(options, async (context) => {
		const { startUiServer } = await import("../../core/transport/http-server.js");
		const { rendererDir } = await import("../../core/transport/renderer-dir.js");
		const { createTerminals } = await import("../../core/terminal/index.js");
		const staticDir = rendererDir();
		// The terminal tab's shells: the SSH provider's shell channel, or a local pty.
		const terminals = createTerminals({ ssh: () => import("../../providers/ssh/index.js") });
		const server = await startUiServer({ api: context.api, staticDir, terminals, ...(options.port !== undefined ? { port: options.port } : {}) });
		let removeLaunchPage: () => Promise<void> = async () => undefined;
		try {
			const printed = server.launch();
			context.print({ url: printed.url, port: server.port }, () => printed.url);
			if (!context.json) {
				if (!staticDir) process.stderr.write("warning: the UI is not built (run `npm run build`); only the api is served.\n");
				process.stderr.write("Serving on 127.0.0.1 only. The URL opens one browser tab, once. Press Ctrl-C to stop.\n");
			}
			if (options.open) removeLaunchPage = await openLaunchPage(server.launch());
			await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve(), { once: true }));
		} finally {
			await removeLaunchPage();
			await server.close();
		}
	});
}

/** The browser gets a launch page's file name, with its own code; returns its clean-up. */
async function openLaunchPage(link: { url: string; used: Promise<void> }): Promise<() => Promise<void>> {
	const { writeLaunchPage } = await import("../../core/transport/launch-page.js");
	const { openBrowser } = await import("../open-browser.js");
	try {
		const page = await writeLaunchPage(link.url);
		link.used.then(() => page.remove()).catch(() => undefined);
		openBrowser(page.fileUrl);
		return page.remove;
	} catch (error) {
		process.stderr.write(`warning: cannot open a browser (${(error as Error).message}); open the URL above.\n`);
		return async () => undefined;
	}
}
